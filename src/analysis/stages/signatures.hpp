// process_signatures: noise removal, dropped signatures, severity scores, false-positive filter (§4.3).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void filter_signatures(AnalysisContext& ctx);

}  // namespace alcape::analysis
