// The pieces of get_network_map (reference-behaviour.md §5.6), separated so that each can be tested on small
// report fragments. All values keep the shapes of the reference's dicts (see analysis/context.hpp).
#pragma once

#include "analysis/network/ip_network.hpp"
#include "analysis/tagging/safelist.hpp"
#include "json/value.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis::network {

// _determine_dns_servers: the destination of the first UDP flow to port 53, then the INetSim DNS servers.
json::Value determine_dns_servers(const json::Value& network, const std::vector<std::string>& inetsim_dns_servers);

// _get_dns_map: {request: [attempt dicts]} from network.dns; PTR lookups are skipped for routing inetsim/none.
json::Value build_dns_requests(const json::Value& dns_calls, std::string_view routing);

// _get_low_level_flows: the udp then tcp flows of the report as flow dicts, attributed to processes through the
// API calls of the process map and sysmon network events.
json::Value build_low_level_flows(const json::Value& network, const json::Value& process_map,
                                  const json::Value& parsed_sysmon);

// _remove_network_call: flows to safelisted destinations, to a DNS server, or into the INetSim range are noise.
bool is_noise_flow(const json::Value& flow, const json::Value& dns_servers, const json::Value& dns_requests,
                   const std::optional<IpNetwork>& inetsim_range, const Safelist* safelist);

struct HttpCallOptions {
  const Safelist* safelist = nullptr;
  bool uses_https_proxy_in_sandbox = false;
  std::vector<std::string> suspicious_accepted_languages;
};

// _process_http_calls: the http, https, http_ex and https_ex entries as HTTP call dicts.
json::Value build_http_calls(const json::Value& network, const json::Value& process_map,
                             const json::Value& parsed_sysmon, const json::Value& dns_servers,
                             const json::Value& dns_requests, const HttpCallOptions& options);

}  // namespace alcape::analysis::network
