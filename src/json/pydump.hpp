// Serialises JSON exactly as Python's json.dumps does with its defaults (ensure_ascii=True,
// separators ", " and ": ", insertion order), because Assemblyline section bodies are that text and the
// conformance tests compare bodies with the reference's byte for byte.
#pragma once

#include "json/value.hpp"

#include <string>

namespace alcape::json {

// json.dumps(v)
std::string py_dumps(const Value& v);

// json.dumps(v, indent=N): items on their own lines, "," item separator, ": " key separator.
std::string py_dumps_indent(const Value& v, int indent);

// repr() of a Python float, e.g. 0.1, 1e-07, 1.5e+300, 100.0, inf.
std::string py_float_repr(double d);

// Appends s as a JSON string literal with Python's ensure_ascii escaping.
void py_append_string(std::string& out, std::string_view s);

}  // namespace alcape::json
