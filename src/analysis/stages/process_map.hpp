// Process map from behavior.processes calls (§5.3); also the API names the reader must keep.
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void build_process_map(AnalysisContext& ctx);

// APIs the process map reads: the report reader keeps only these calls.
bool is_api_of_interest(std::string_view api);

}  // namespace alcape::analysis
