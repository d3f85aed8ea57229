#include "analysis/stages/signatures.hpp"

namespace alcape::analysis {

void filter_signatures(AnalysisContext& ctx) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
