// Configs Extracted By CAPE section and payload pids (§5.11): one table per malware family config CAPE
// extracted (heuristic 38, signature config_extracted), and the list of CAPE payloads with their pid and whether
// CAPE's YARA rules hit them (ctx.cape_artifact_pids, for the service's file naming and filtering).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

inline constexpr std::string_view kConfigExtractSectionTitle = "Configs Extracted By CAPE";

void process_cape(AnalysisContext& ctx, result::Section& parent);

}  // namespace alcape::analysis
