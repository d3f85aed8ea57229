#include "analysis/stages/curtain.hpp"

namespace alcape::analysis {

void process_curtain(AnalysisContext& ctx, result::Section& parent) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
