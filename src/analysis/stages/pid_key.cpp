#include "analysis/stages/pid_key.hpp"

#include <cctype>
#include <charconv>

namespace alcape::analysis {

std::optional<std::string> pid_key_from_text(std::string_view t) {
  auto space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
  while (!t.empty() && space(t.front())) t.remove_prefix(1);
  while (!t.empty() && space(t.back())) t.remove_suffix(1);
  bool negative = false;
  if (!t.empty() && (t.front() == '+' || t.front() == '-')) {
    negative = t.front() == '-';
    t.remove_prefix(1);
  }
  std::string digits;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
    } else if (c == '_' && i > 0 && i + 1 < t.size() && std::isdigit(static_cast<unsigned char>(t[i - 1])) &&
               std::isdigit(static_cast<unsigned char>(t[i + 1]))) {
      continue;
    } else {
      return std::nullopt;
    }
  }
  if (digits.empty()) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return std::to_string(negative ? -v : v);
}

const json::Value* find_process_by_pid_text(const json::Value& process_map, std::string_view pid_text) {
  auto key = pid_key_from_text(pid_text);
  if (!key) return nullptr;
  return json::find(process_map, *key);
}

}  // namespace alcape::analysis
