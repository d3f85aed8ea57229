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

// The reference's DNS enrichment, which never ran (`answer is not Dict`; docs/deviations.md (network) D-network-8):
// lookups of a name that a process's DNS API call or a sysmon DNS event (EventID 22) asked for are attributed
// to that process (the first one, API calls before sysmon).
void attribute_dns_requests(json::Value& dns_requests, const json::Value& process_map,
                            const json::Value& parsed_sysmon);

// The first requested name whose answers include `ip`, else null.
json::Value find_domain_for_ip(const json::Value& dns_requests, const json::Value& ip);
bool is_dns_answer(const json::Value& dns_requests, const json::Value& ip);
// The first IPv4/IPv6 answer of the lookups of `request`, else null.
json::Value first_ip_answer(const json::Value& dns_requests, const std::string& request);

// dict.get(key) or dict.get(fallback).
json::Value first_truthy(const json::Value& dict, std::string_view key, std::string_view fallback);

// _get_low_level_flows: the udp then tcp flows of the report as flow dicts, with the domain a DNS lookup resolved
// to the destination, attributed to processes through the API calls of the process map and sysmon network events.
json::Value build_low_level_flows(const json::Value& network, const json::Value& process_map,
                                  const json::Value& parsed_sysmon, const json::Value& dns_requests);

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
