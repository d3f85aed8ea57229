// Configs Extracted By CAPE section and payload pids (§5.11).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void process_cape(AnalysisContext& ctx, result::Section& parent);

}  // namespace alcape::analysis
