// _determine_dns_servers and _get_dns_map.
#include "analysis/network/network_map_parts.hpp"
#include "analysis/network/py_values.hpp"
#include "analysis/time_format.hpp"

#include <algorithm>
#include <cctype>

namespace alcape::analysis::network {

json::Value determine_dns_servers(const json::Value& network, const std::vector<std::string>& inetsim_dns_servers) {
  json::Value servers = json::Value::array();
  const json::Value& udp = json::get(network, "udp");
  if (udp.is_array()) {
    for (const auto& flow : udp) {
      if (json::get(flow, "dport") == json::Value(53)) {
        // The first UDP flow to port 53 is assumed to be DNS; a falsy destination means none.
        if (json::truthy(json::get(flow, "dst"))) servers.push_back(json::get(flow, "dst"));
        break;
      }
    }
  }
  for (const auto& s : inetsim_dns_servers)
    if (std::find(servers.begin(), servers.end(), json::Value(s)) == servers.end()) servers.push_back(s);
  return servers;
}

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// first_seen as the reference keeps it: epoch numbers become local "%Y-%m-%d %H:%M:%S.mmm", anything else as is.
json::Value attempt_time(const json::Value& first_seen) {
  if (!json::truthy(first_seen) || !(first_seen.is_number() || first_seen.is_boolean())) return first_seen;
  double epoch = first_seen.is_boolean() ? 1.0 : first_seen.get<double>();
  auto s = epoch_to_local_with_ms(epoch, 3);
  return s ? json::Value(*s) : json::Value();
}

}  // namespace

json::Value first_truthy(const json::Value& dict, std::string_view key, std::string_view fallback) {
  const json::Value& v = json::get(dict, key);
  return json::truthy(v) ? v : json::get(dict, fallback);
}

json::Value build_dns_requests(const json::Value& dns_calls, std::string_view routing) {
  json::Value requests = json::Value::object();
  if (!dns_calls.is_array()) return requests;
  const std::string route = lower(std::string(routing));
  for (const auto& call : dns_calls) {
    json::Value answers = json::Value::array();
    const json::Value& raw_answers = json::get(call, "answers");
    if (raw_answers.is_array())
      for (const auto& a : raw_answers)
        answers.push_back(json::Value{{"answer", json::get(a, "data")}, {"Type", json::get(a, "type")}});
    const json::Value& request = json::get(call, "request");
    if (!json::truthy(request)) continue;
    const json::Value& type = json::get(call, "type");
    // With INetSim, PTR answers collide with the random range through the DNS cache: they are ignored.
    if ((route == "inetsim" || route == "none") && type == json::Value("PTR")) continue;
    // CAPE's process_map option names the process process_id/process_name; some producers use pid/image.
    json::Value attempt = {{"answers", std::move(answers)},
                           {"process_id", first_truthy(call, "pid", "process_id")},
                           {"process_name", first_truthy(call, "image", "process_name")},
                           {"time", attempt_time(json::get(call, "first_seen"))},
                           {"guid", json::get(call, "guid")},
                           {"type", type},
                           {"sources", json::Value::array({"PCAP"})}};
    requests[py_str(request)].push_back(std::move(attempt));
  }
  return requests;
}

}  // namespace alcape::analysis::network

namespace alcape::analysis::network {

namespace {

void attribute_lookups(json::Value& dns_requests, const std::string& request, const json::Value& name,
                       const json::Value& pid, const json::Value& guid, std::string_view source) {
  json::Value* attempts = dns_requests.is_object() && dns_requests.contains(request) ? &dns_requests[request] : nullptr;
  if (!attempts || !attempts->is_array()) return;
  for (auto& attempt : *attempts) {
    if (!json::truthy(attempt["process_name"])) attempt["process_name"] = name;
    if (!json::truthy(attempt["process_id"])) attempt["process_id"] = pid;
    if (!json::truthy(attempt["guid"]) && json::truthy(guid)) attempt["guid"] = guid;
    bool present = false;
    for (const auto& s : attempt["sources"]) present = present || s == json::Value(source);
    if (!present) attempt["sources"].push_back(source);
  }
}

}  // namespace

void attribute_dns_requests(json::Value& dns_requests, const json::Value& process_map,
                            const json::Value& parsed_sysmon) {
  if (process_map.is_object())
    for (auto it = process_map.begin(); it != process_map.end(); ++it) {
      const json::Value& calls = json::get(it.value(), "network_calls");
      if (!calls.is_array()) continue;
      for (const auto& call : calls) {
        if (json::get(call, "event") != json::Value("DNS")) continue;
        const json::Value& host = json::get(json::get(call, "arguments"), "HostName");
        if (!json::truthy(host) || !host.is_string()) continue;
        attribute_lookups(dns_requests, host.get<std::string>(), json::get(it.value(), "name"),
                          pid_key_value(it.key()), json::Value(), "API");
      }
    }
  if (parsed_sysmon.is_object())
    for (auto it = parsed_sysmon.begin(); it != parsed_sysmon.end(); ++it) {
      if (!it.value().is_array()) continue;
      for (const auto& event : it.value()) {
        if (json::get(event, "event_id") != json::Value(22)) continue;
        const json::Value& request = json::get(event, "request");
        if (!json::truthy(request) || !request.is_string()) continue;
        attribute_lookups(dns_requests, request.get<std::string>(), json::get(event, "image"),
                          pid_key_value(it.key()), json::get(event, "guid"), "sysmon");
      }
    }
}

json::Value find_domain_for_ip(const json::Value& dns_requests, const json::Value& ip) {
  if (!dns_requests.is_object() || !ip.is_string()) return nullptr;
  for (auto it = dns_requests.begin(); it != dns_requests.end(); ++it) {
    if (!it.value().is_array()) continue;
    for (const auto& attempt : it.value())
      for (const auto& answer : json::get(attempt, "answers"))
        if (json::get(answer, "answer") == ip) return it.key();
  }
  return nullptr;
}

bool is_dns_answer(const json::Value& dns_requests, const json::Value& ip) {
  return !find_domain_for_ip(dns_requests, ip).is_null();
}

json::Value first_ip_answer(const json::Value& dns_requests, const std::string& request) {
  if (!dns_requests.is_object() || !dns_requests.contains(request)) return nullptr;
  for (const auto& attempt : dns_requests[request]) {
    for (const auto& answer : json::get(attempt, "answers")) {
      const json::Value& data = json::get(answer, "answer");
      bool v6 = false;
      if (data.is_string() && parse_ip(data.get<std::string>(), &v6)) return data;
    }
  }
  return nullptr;
}

}  // namespace alcape::analysis::network
