#include "analysis/stages/sandbox.hpp"

namespace alcape::analysis {

void build_sandbox_sections(AnalysisContext& ctx, result::Section& parent) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
