#include "analysis/stages/signature_sections.hpp"

namespace alcape::analysis {

void add_signature_sections(AnalysisContext& ctx, result::Section& signatures_section) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
