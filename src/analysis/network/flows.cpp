// _get_low_level_flows and _remove_network_call.
#include "analysis/network/attribution.hpp"
#include "analysis/network/network_map_parts.hpp"
#include "analysis/network/py_values.hpp"

namespace alcape::analysis::network {

namespace {

const json::Value& arg(const json::Value& call, std::string_view name) {
  return json::get(json::get(call, "arguments"), name);
}

// The host of a URL argument ("http://user@host:8080/x" -> "host"), or null.
json::Value url_host(const json::Value& url) {
  if (!url.is_string()) return nullptr;
  const std::string& u = url.get_ref<const std::string&>();
  size_t start = u.find("://");
  if (start == std::string::npos) return nullptr;
  std::string netloc = u.substr(start + 3, u.find_first_of("/?#", start + 3) - (start + 3));
  size_t at = netloc.rfind('@');
  if (at != std::string::npos) netloc = netloc.substr(at + 1);
  if (!netloc.empty() && netloc.front() == '[') {
    size_t close = netloc.find(']');
    return close == std::string::npos ? json::Value() : json::Value(netloc.substr(1, close - 1));
  }
  netloc = netloc.substr(0, netloc.find(':'));
  return netloc.empty() ? json::Value() : json::Value(netloc);
}

// Whether a non-empty argument value names `target` (the flow's destination IP or domain).
bool names(const json::Value& value, const json::Value& target) {
  return json::truthy(value) && json::truthy(target) && value == target;
}

// A flow belongs to the first network API call (Connect / Request_response / Proxying) whose HostName, IP or
// URL host is the flow's destination IP or domain, with the flow's port or no port. (The reference also matched
// missing arguments against the always-missing domain, so any call lacking one of them matched every flow:
// docs/deviations.md (network) D-network-7.)
void attribute_by_api(json::Value& flow, const json::Value& process_map) {
  attribute_by_api_calls(flow, process_map, {"Connect", "Request_response", "Proxying"}, [&](const json::Value& call) {
    const json::Value &host = arg(call, "HostName"), &ip = arg(call, "IP");
    const json::Value url = url_host(arg(call, "URL"));
    bool match = false;
    for (const json::Value* target : {&flow["dest_ip"], &flow["domain"]})
      match = match || names(host, *target) || names(ip, *target) || names(url, *target);
    return match && port_agrees(arg(call, "Port"), flow["dest_port"]);
  });
}

void attribute_by_sysmon(json::Value& flow, const json::Value& parsed_sysmon) {
  attribute_by_sysmon_connections(flow, parsed_sysmon, [&](const json::Value& event) {
    const json::Value& dst = json::get(event, "dst");
    return (flow["dest_ip"] == dst || flow["domain"] == dst) && flow["src_ip"] == json::get(event, "src") &&
           flow["dest_port"] == json::get(event, "dport") && flow["src_port"] == json::get(event, "sport");
  });
}

}  // namespace

json::Value build_low_level_flows(const json::Value& network, const json::Value& process_map,
                                  const json::Value& parsed_sysmon, const json::Value& dns_requests) {
  json::Value flows = json::Value::array();
  for (const char* protocol : {"udp", "tcp"}) {
    const json::Value& calls = json::get(network, protocol);
    if (!calls.is_array()) continue;
    for (const auto& call : calls) {
      // dst, src, time and dport are required (the reference raises KeyError without them).
      if (!json::has(call, "dst") || !json::has(call, "src") || !json::has(call, "time") || !json::has(call, "dport"))
        continue;
      const json::Value& src = json::get(call, "src");
      const json::Value& dst = json::get(call, "dst");
      json::Value flow = {{"timestamp", json::get(call, "time")},
                          {"protocol", protocol},
                          {"src_ip", src},
                          {"src_port", json::truthy(src) ? json::get(call, "sport") : json::Value()},
                          {"domain", find_domain_for_ip(dns_requests, dst)},
                          {"dest_ip", dst},
                          {"dest_port", json::get(call, "dport")},
                          {"image", first_truthy(call, "image", "process_name")},
                          {"pid", first_truthy(call, "pid", "process_id")},
                          {"guid", json::get(call, "guid")},
                          {"sources", json::Value::array({"PCAP"})}};
      attribute_by_api(flow, process_map);
      attribute_by_sysmon(flow, parsed_sysmon);
      flows.push_back(std::move(flow));
    }
  }
  return flows;
}

bool is_noise_flow(const json::Value& flow, const json::Value& dns_servers, const json::Value& dns_requests,
                   const std::optional<IpNetwork>& inetsim_range, const Safelist* safelist) {
  const json::Value& domain = json::get(flow, "domain");
  const json::Value& dest_ip = json::get(flow, "dest_ip");
  std::string dest = dest_ip.is_string() ? dest_ip.get<std::string>() : std::string();
  if (safelist && domain.is_string() && safelist->is_tag_safelisted(domain.get<std::string>(), "network.dynamic.domain"))
    return true;
  if (!json::truthy(domain) && safelist && safelist->is_tag_safelisted(dest, "network.dynamic.ip")) return true;
  if (dns_servers.is_array())
    for (const auto& s : dns_servers)
      if (s == dest_ip) return true;
  // INetSim answers random addresses of its range: a flow there is noise unless a DNS lookup returned that
  // address. (The reference compared the IP with answer dicts, so it dropped them all: D-network-6.)
  return inetsim_range && inetsim_range->contains(dest) && !is_dns_answer(dns_requests, dest_ip);
}

}  // namespace alcape::analysis::network
