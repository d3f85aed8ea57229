// Network Activity subsections and network ontology objects (§5.8). Called by build_sandbox_sections.
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void add_network_sections(AnalysisContext& ctx, result::Section& network_section);

}  // namespace alcape::analysis
