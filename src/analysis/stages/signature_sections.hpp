// Signature sections and ontology signatures (§5.9). Called by build_sandbox_sections.
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

// For each signature of ctx.signatures: a "Signature: <name>" MULTI child of `signatures_section` (description,
// families, marks, heuristic of its category, tags, "IOCs found in Signature data" table), an ontology Signature
// and its validated dict appended to ctx.process_events["signatures"].
void add_signature_sections(AnalysisContext& ctx, result::Section& signatures_section);

// Longest description the Processes (SANDBOX) section accepts (its signature schema).
inline constexpr size_t kMaxSandboxDescriptionLength = 256;

}  // namespace alcape::analysis
