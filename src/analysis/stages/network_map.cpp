// get_network_map (§5.6): runs only when the report has a non-empty network section, like the reference.
#include "analysis/stages/network_map.hpp"

#include "analysis/network/network_map_parts.hpp"
#include "core/ascii.hpp"

#include <algorithm>
#include <cctype>

namespace alcape::analysis {

namespace {


}  // namespace

std::vector<std::string> effective_inetsim_dns_servers(const ParserParams& params) {
  // The service passes its INetSim DNS servers only when the task is routed through INetSim.
  if (ascii_lower(params.routing) != "inetsim") return {};
  return params.inetsim_dns_servers;
}

void build_network_map(AnalysisContext& ctx) {
  const json::Value& net = ctx.report.network;
  if (!net.is_object() || net.empty()) return;
  const Safelist* safelist = ctx.params.safelist.get();
  auto range = network::IpNetwork::parse(ctx.params.random_ip_range);

  ctx.dns_servers = network::determine_dns_servers(net, effective_inetsim_dns_servers(ctx.params));
  ctx.dns_requests = network::build_dns_requests(json::get(net, "dns"), ctx.params.routing);
  network::attribute_dns_requests(ctx.dns_requests, ctx.process_map, ctx.parsed_sysmon);

  ctx.low_level_flows = json::Value::array();
  for (auto& flow : network::build_low_level_flows(net, ctx.process_map, ctx.parsed_sysmon, ctx.dns_requests))
    if (!network::is_noise_flow(flow, ctx.dns_servers, ctx.dns_requests, range, safelist))
      ctx.low_level_flows.push_back(std::move(flow));

  network::HttpCallOptions http_options;
  http_options.safelist = safelist;
  http_options.uses_https_proxy_in_sandbox = ctx.params.uses_https_proxy_in_sandbox;
  http_options.suspicious_accepted_languages = ctx.params.suspicious_accepted_languages;
  ctx.http_calls = network::build_http_calls(net, ctx.process_map, ctx.parsed_sysmon, ctx.dns_servers,
                                             ctx.dns_requests, http_options);
}

}  // namespace alcape::analysis
