#include "analysis/stages/behavior.hpp"

namespace alcape::analysis {

void process_behavior(AnalysisContext& ctx, result::Section& parent) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
