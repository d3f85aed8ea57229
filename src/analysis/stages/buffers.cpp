#include "analysis/stages/buffers.hpp"

namespace alcape::analysis {

void process_buffers(AnalysisContext& ctx, result::Section& parent) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
