// PowerShell Activity section from curtain (§5.2 stage 12).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void process_curtain(AnalysisContext& ctx, result::Section& parent);

}  // namespace alcape::analysis
