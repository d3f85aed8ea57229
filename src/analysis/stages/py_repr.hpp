// Python's str() and repr() of JSON values, for the texts the reference builds with f-strings
// (f"{name} ({pid})", f"Modules found: {modules}"): None/True/False, single-quoted strings, float repr.
#pragma once

#include "json/value.hpp"

#include <string>
#include <string_view>

namespace alcape::analysis {

// repr(s) of a Python str: single quotes unless s holds ' and no ", backslash escapes for quotes, \t \n \r,
// \xNN / \uNNNN for non-printable characters (control, C1, separators, format characters).
std::string py_repr_string(std::string_view s);

// repr(v): None, True, False, ints, float repr, 'str', [a, b], {'k': v}.
std::string py_repr(const json::Value& v);

// str(v), i.e. what an f-string shows: a string as is, anything else as repr(v).
std::string py_str(const json::Value& v);

}  // namespace alcape::analysis
