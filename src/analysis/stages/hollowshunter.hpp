// HollowsHunter Analysis section (§5.2 stage 13): processes in which HollowsHunter found implanted PE images,
// when every announced implant was confirmed by a working-set scan that saw a PE header.
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void process_hollowshunter(AnalysisContext& ctx, result::Section& parent);

}  // namespace alcape::analysis
