#include "analysis/network/py_values.hpp"

#include <charconv>

namespace alcape::analysis::network {

json::Value pid_key_value(std::string_view key) {
  int64_t pid = 0;
  auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), pid);
  if (ec == std::errc() && ptr == key.data() + key.size() && !key.empty()) return pid;
  return std::string(key);
}

}  // namespace alcape::analysis::network
