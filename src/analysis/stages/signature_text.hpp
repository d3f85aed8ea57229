// Python string behaviour the signature marks depend on: str() of mark values, truncate() (assemblyline
// str_utils), len() in code points and str.lower(). Strings are UTF-8.
#pragma once

#include "analysis/stages/py_repr.hpp"  // py_str

#include "json/value.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace alcape::analysis {

// len(s) of the Python str: the number of code points.
size_t codepoint_count(std::string_view utf8);

// str_utils.truncate(s, length): safe_str(s), cut to `length` code points plus "..." when longer.
std::string py_truncate(std::string_view s, size_t length);


// str.lower() for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic letters (others are kept).
std::string py_lower(std::string_view s);

}  // namespace alcape::analysis
