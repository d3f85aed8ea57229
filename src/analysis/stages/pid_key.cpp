#include "analysis/stages/pid_key.hpp"

#include "analysis/tagging/py_text.hpp"

namespace alcape::analysis {

std::optional<std::string> pid_key_from_text(std::string_view text) {
  auto v = pytext::py_int(text);
  if (!v) return std::nullopt;
  return std::to_string(*v);
}

const json::Value* find_process_by_pid_text(const json::Value& process_map, std::string_view pid_text) {
  auto key = pid_key_from_text(pid_text);
  if (!key) return nullptr;
  return json::find(process_map, *key);
}

}  // namespace alcape::analysis
