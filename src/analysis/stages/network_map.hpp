// DNS servers, DNS requests, low-level flows and HTTP calls (§5.6).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void build_network_map(AnalysisContext& ctx);

}  // namespace alcape::analysis
