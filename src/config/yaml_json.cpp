#include "config/yaml_json.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

namespace alcape::config {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

json::Value scalar(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted: always a string
  const std::string l = lower(text);
  if (l == "true" || l == "yes" || l == "on") return true;
  if (l == "false" || l == "no" || l == "off") return false;
  if (l == "~" || l == "null" || text.empty()) return nullptr;
  int64_t i = 0;
  const char* b = text.data();
  const char* e = b + text.size();
  const char* start = (b != e && *b == '+') ? b + 1 : b;
  if (auto [p, ec] = std::from_chars(start, e, i); ec == std::errc() && p == e) return i;
  double d = 0;
  if (auto [p, ec] = std::from_chars(start, e, d); ec == std::errc() && p == e &&
      text.find_first_of(".eE") != std::string::npos) {
    return d;
  }
  return text;
}

json::Value convert(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: return scalar(node);
    case YAML::NodeType::Sequence: {
      json::Value out = json::Value::array();
      for (const auto& item : node) out.push_back(convert(item));
      return out;
    }
    case YAML::NodeType::Map: {
      json::Value out = json::Value::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = convert(kv.second);
      return out;
    }
    default: return nullptr;
  }
}

}  // namespace

StatusOr<json::Value> yaml_to_json(std::string_view yaml_text, const std::string& context) {
  try {
    return convert(YAML::Load(std::string(yaml_text)));
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInvalidParams, std::string("invalid YAML: ") + e.what(), context);
  }
}

}  // namespace alcape::config
