#include "analysis/stages/cape_configs.hpp"

namespace alcape::analysis {

void process_cape(AnalysisContext& ctx, result::Section& parent) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
