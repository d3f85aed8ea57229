// Sample Did Not Execute section and the main process tuples (§5.2 stage 6).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void process_behavior(AnalysisContext& ctx, result::Section& parent);

}  // namespace alcape::analysis
