// Machine metadata of the ontology Sandbox (§5.2 stage 16).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void process_machine_info(AnalysisContext& ctx);

}  // namespace alcape::analysis
