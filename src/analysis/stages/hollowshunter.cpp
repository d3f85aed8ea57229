#include "analysis/stages/hollowshunter.hpp"

namespace alcape::analysis {

void process_hollowshunter(AnalysisContext& ctx, result::Section& parent) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
