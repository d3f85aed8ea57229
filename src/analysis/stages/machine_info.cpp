#include "analysis/stages/machine_info.hpp"

namespace alcape::analysis {

void process_machine_info(AnalysisContext& ctx) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
