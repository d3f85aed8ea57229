// _get_low_level_flows and _remove_network_call.
#include "analysis/network/network_map_parts.hpp"
#include "analysis/network/py_values.hpp"

namespace alcape::analysis::network {

namespace {

const json::Value& arg(const json::Value& call, std::string_view name) {
  return json::get(json::get(call, "arguments"), name);
}

void add_source(json::Value& item, std::string_view source) {
  json::Value& sources = item["sources"];
  for (const auto& s : sources)
    if (s == json::Value(source)) return;
  sources.push_back(source);
}

// Fills image/pid when still empty and records where the attribution came from.
void attribute(json::Value& item, const json::Value& image, const json::Value& pid, std::string_view source) {
  if (!json::truthy(json::get(item, "image"))) item["image"] = image;
  if (!json::truthy(json::get(item, "pid"))) item["pid"] = pid;
  add_source(item, source);
}

// The reference matches a flow to the first network API call (Connect / Request_response / Proxying) naming
// its destination, with a matching or absent port.
void attribute_by_api(json::Value& flow, const json::Value& process_map) {
  if (!process_map.is_object()) return;
  for (auto it = process_map.begin(); it != process_map.end(); ++it) {
    const json::Value& calls = json::get(it.value(), "network_calls");
    if (!calls.is_array()) continue;
    for (const auto& net_call : calls) {
      const json::Value& event = json::get(net_call, "event");
      if (event != "Connect" && event != "Request_response" && event != "Proxying") continue;
      const json::Value& args = json::get(net_call, "arguments");
      if (!args.is_object() || args.empty()) continue;
      const json::Value &host = arg(net_call, "HostName"), &ip = arg(net_call, "IP"), &url = arg(net_call, "URL");
      if (!json::truthy(host) && !json::truthy(ip) && !json::truthy(url)) continue;
      // Reference: `dest_ip in [...] or domain in [...]`; domain is always None here, so a call lacking one of
      // the three arguments matches any flow.
      if (!py_in(flow["dest_ip"], {&host, &ip, &url}) && !py_in(flow["domain"], {&host, &ip, &url})) continue;
      const json::Value& port = arg(net_call, "Port");
      if (!(port.is_string() && py_str(flow["dest_port"]) == port.get<std::string>()) && !port.is_null()) continue;
      attribute(flow, json::get(it.value(), "name"), pid_key_value(it.key()), "API");
      break;
    }
  }
}

void attribute_by_sysmon(json::Value& flow, const json::Value& parsed_sysmon) {
  if (!parsed_sysmon.is_object()) return;
  for (auto it = parsed_sysmon.begin(); it != parsed_sysmon.end(); ++it) {
    if (!it.value().is_array()) continue;
    for (const auto& event : it.value()) {
      if (json::get(event, "event_id") != json::Value(3)) continue;
      const json::Value& dst = json::get(event, "dst");
      if (!(flow["dest_ip"] == dst || flow["domain"] == dst) || flow["src_ip"] != json::get(event, "src")) continue;
      if (flow["dest_port"] != json::get(event, "dport") || flow["src_port"] != json::get(event, "sport")) continue;
      attribute(flow, json::get(event, "image"), pid_key_value(it.key()), "sysmon");
      break;
    }
  }
}

}  // namespace

json::Value build_low_level_flows(const json::Value& network, const json::Value& process_map,
                                  const json::Value& parsed_sysmon) {
  json::Value flows = json::Value::array();
  for (const char* protocol : {"udp", "tcp"}) {
    const json::Value& calls = json::get(network, protocol);
    if (!calls.is_array()) continue;
    for (const auto& call : calls) {
      // dst, src, time and dport are required (the reference raises KeyError without them).
      if (!json::has(call, "dst") || !json::has(call, "src") || !json::has(call, "time") || !json::has(call, "dport"))
        continue;
      const json::Value& src = json::get(call, "src");
      json::Value flow = {{"timestamp", json::get(call, "time")},
                          {"protocol", protocol},
                          {"src_ip", src},
                          {"src_port", json::truthy(src) ? json::get(call, "sport") : json::Value()},
                          {"domain", nullptr},
                          {"dest_ip", json::get(call, "dst")},
                          {"dest_port", json::get(call, "dport")},
                          {"image", json::get(call, "image")},
                          {"pid", json::get(call, "pid")},
                          {"guid", json::get(call, "guid")},
                          {"sources", json::Value::array({"PCAP"})}};
      attribute_by_api(flow, process_map);
      attribute_by_sysmon(flow, parsed_sysmon);
      flows.push_back(std::move(flow));
    }
  }
  return flows;
}

bool is_noise_flow(const json::Value& flow, const json::Value& dns_servers, const json::Value& /*dns_requests*/,
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
  // Reference: `dest_ip not in list_of_all_answers` compares an IP with answer dicts, so it always holds.
  return inetsim_range && inetsim_range->contains(dest);
}

}  // namespace alcape::analysis::network
