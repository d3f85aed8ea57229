// Python semantics the network stages depend on, for JSON values holding the reference's dict data:
// `x in [..]` and the conversion of the reference's integer dict keys (pids) back to values.
#pragma once

#include "analysis/stages/py_repr.hpp"  // py_str: str(x)
#include "json/value.hpp"

#include <initializer_list>
#include <string>
#include <string_view>

namespace alcape::analysis::network {

// `v in [items...]` with Python's == (null equals null, 80 equals 80.0).
inline bool py_in(const json::Value& v, std::initializer_list<const json::Value*> items) {
  for (const auto* item : items)
    if (*item == v) return true;
  return false;
}

// The key of a process_map / parsed_sysmon entry as the reference holds it: an int pid, or the string
// "<pid>--><guid>" sysmon uses for a reused pid.
json::Value pid_key_value(std::string_view key);

// Python truthiness of a dict field (missing counts as falsy).
inline bool field_truthy(const json::Value& dict, std::string_view key) { return json::truthy(json::get(dict, key)); }

}  // namespace alcape::analysis::network
