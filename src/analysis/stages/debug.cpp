#include "analysis/stages/debug.hpp"

namespace alcape::analysis {

void process_debug(AnalysisContext& ctx, result::Section& parent) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
