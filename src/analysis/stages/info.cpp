#include "analysis/stages/info.hpp"

namespace alcape::analysis {

void process_info(AnalysisContext& ctx, result::Section& parent) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
