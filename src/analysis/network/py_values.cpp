#include "analysis/network/py_values.hpp"

#include "json/pydump.hpp"

#include <charconv>

namespace alcape::analysis::network {

std::string py_str(const json::Value& v) {
  switch (v.type()) {
    case json::Value::value_t::null: return "None";
    case json::Value::value_t::boolean: return v.get<bool>() ? "True" : "False";
    case json::Value::value_t::number_integer: return std::to_string(v.get<int64_t>());
    case json::Value::value_t::number_unsigned: return std::to_string(v.get<uint64_t>());
    case json::Value::value_t::number_float: return json::py_float_repr(v.get<double>());
    case json::Value::value_t::string: return v.get<std::string>();
    default: return json::py_dumps(v);
  }
}

json::Value pid_key_value(std::string_view key) {
  int64_t pid = 0;
  auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), pid);
  if (ec == std::errc() && ptr == key.data() + key.size() && !key.empty()) return pid;
  return std::string(key);
}

}  // namespace alcape::analysis::network
