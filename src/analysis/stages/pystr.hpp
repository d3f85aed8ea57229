// Python built-in semantics the process stages depend on: str.lower/capitalize/strip/len on UTF-8 text, int() of
// a JSON value, and == between JSON values (dict equality ignores key order, 1 == 1.0 == True).
#pragma once

#include "json/value.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alcape::analysis::py {

// str.lower(): Unicode lower case (incl. U+0130 -> "i\u0307" and the final sigma).
std::string lower(std::string_view s);

// str.capitalize(): the first character in title case, the rest in lower case.
std::string capitalize(std::string_view s);

// str.strip(): removes leading and trailing Unicode whitespace (str.isspace).
std::string_view strip(std::string_view s);

// len(str): the number of code points.
size_t length(std::string_view s);

// int(value): integers as is, floats truncated (finite only), booleans as 0/1, strings in Python's int literal
// form (surrounding whitespace, sign, "_" between digits). nullopt where Python raises or the value leaves int64.
std::optional<int64_t> to_int(const json::Value& v);
std::optional<int64_t> to_int(std::string_view s);

// a == b with Python's rules for the JSON types.
bool equal(const json::Value& a, const json::Value& b);

}  // namespace alcape::analysis::py
