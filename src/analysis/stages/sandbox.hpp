// load_ontology_and_result_section: Processes, Network Activity and Signatures sections, ontology objects (§5.7-§5.9).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void build_sandbox_sections(AnalysisContext& ctx, result::Section& parent);

}  // namespace alcape::analysis
