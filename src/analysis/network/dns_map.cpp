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
    json::Value attempt = {{"answers", std::move(answers)},
                           {"process_id", json::get(call, "pid")},
                           {"process_name", json::get(call, "image")},
                           {"time", attempt_time(json::get(call, "first_seen"))},
                           {"guid", json::get(call, "guid")},
                           {"type", type},
                           {"sources", json::Value::array({"PCAP"})}};
    requests[py_str(request)].push_back(std::move(attempt));
  }
  return requests;
}

}  // namespace alcape::analysis::network
