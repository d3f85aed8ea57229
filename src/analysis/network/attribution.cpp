#include "analysis/network/attribution.hpp"

#include "analysis/network/py_values.hpp"

namespace alcape::analysis::network {

void attribute(json::Value& item, const json::Value& image, const json::Value& pid, std::string_view source) {
  if (!json::truthy(json::get(item, "image"))) item["image"] = image;
  if (!json::truthy(json::get(item, "pid"))) item["pid"] = pid;
  json::Value& sources = item["sources"];
  for (const auto& s : sources)
    if (s == json::Value(source)) return;
  sources.push_back(source);
}

bool port_agrees(const json::Value& port_argument, const json::Value& item_port) {
  if (port_argument.is_null()) return true;
  return port_argument.is_string() && py_str(item_port) == port_argument.get<std::string>();
}

void attribute_by_api_calls(json::Value& item, const json::Value& process_map,
                            std::initializer_list<std::string_view> events,
                            const std::function<bool(const json::Value& call)>& matches) {
  if (!process_map.is_object()) return;
  for (auto it = process_map.begin(); it != process_map.end(); ++it) {
    const json::Value& calls = json::get(it.value(), "network_calls");
    if (!calls.is_array()) continue;
    for (const auto& call : calls) {
      const json::Value& event = json::get(call, "event");
      bool wanted = false;
      for (std::string_view e : events) wanted = wanted || event == json::Value(e);
      if (!wanted || !matches(call)) continue;
      attribute(item, json::get(it.value(), "name"), pid_key_value(it.key()), "API");
      break;
    }
  }
}

void attribute_by_sysmon_connections(json::Value& item, const json::Value& parsed_sysmon,
                                     const std::function<bool(const json::Value& event)>& matches) {
  if (!parsed_sysmon.is_object()) return;
  for (auto it = parsed_sysmon.begin(); it != parsed_sysmon.end(); ++it) {
    if (!it.value().is_array()) continue;
    for (const auto& event : it.value()) {
      if (json::get(event, "event_id") != json::Value(3) || !matches(event)) continue;
      attribute(item, json::get(event, "image"), pid_key_value(it.key()), "sysmon");
      break;
    }
  }
}

}  // namespace alcape::analysis::network
