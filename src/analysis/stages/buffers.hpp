// Buffers section and Buffer IOCs (§5.10).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void process_buffers(AnalysisContext& ctx, result::Section& parent);

}  // namespace alcape::analysis
