// DNS servers, DNS requests, low-level flows and HTTP calls (§5.6).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void build_network_map(AnalysisContext& ctx);

// The INetSim DNS servers the reference receives: the configured ones when the routing is inetsim, else none.
std::vector<std::string> effective_inetsim_dns_servers(const ParserParams& params);

}  // namespace alcape::analysis
