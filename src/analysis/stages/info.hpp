// Analysis Information section and the ontology Sandbox (§5.2 stage 1).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void process_info(AnalysisContext& ctx, result::Section& parent);

}  // namespace alcape::analysis
