#include "analysis/stages/process_map.hpp"

namespace alcape::analysis {

void build_process_map(AnalysisContext& ctx) {
  // STUB: implemented by the stage's owner.
}

bool is_api_of_interest(std::string_view api) {
  return true;
}

}  // namespace alcape::analysis
