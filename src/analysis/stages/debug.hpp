// Analysis Errors section from debug.errors and debug.log (§5.2 stage 2).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void process_debug(AnalysisContext& ctx, result::Section& parent);

}  // namespace alcape::analysis
