// Signature sections and ontology signatures (§5.9). Called by build_sandbox_sections.
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void add_signature_sections(AnalysisContext& ctx, result::Section& signatures_section);

}  // namespace alcape::analysis
