#include "analysis/stages/network_sections.hpp"

namespace alcape::analysis {

void add_network_sections(AnalysisContext& ctx, result::Section& network_section) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
