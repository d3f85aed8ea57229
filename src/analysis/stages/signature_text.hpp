// Python string behaviour the signature marks depend on: str() of mark values, truncate() (assemblyline
// str_utils), len() in code points and str.lower(). Strings are UTF-8.
#pragma once

#include "json/value.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace alcape::analysis {

// len(s) of the Python str: the number of code points.
size_t codepoint_count(std::string_view utf8);

// str_utils.truncate(s, length): safe_str(s), cut to `length` code points plus "..." when longer.
std::string py_truncate(std::string_view s, size_t length);

// str(v) of the value as the reference holds it (str as is, True/False/None, float repr, and repr() of the
// items of lists and dicts).
std::string py_str(const json::Value& v);

// str.lower() for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic letters (others are kept).
std::string py_lower(std::string_view s);

}  // namespace alcape::analysis
