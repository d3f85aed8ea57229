#include "analysis/stages/network_map.hpp"

namespace alcape::analysis {

void build_network_map(AnalysisContext& ctx) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
