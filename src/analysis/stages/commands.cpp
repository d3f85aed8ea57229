#include "analysis/stages/commands.hpp"

namespace alcape::analysis {

void extract_commands(const AnalysisContext& ctx, std::vector<std::string>& powershell, std::vector<std::string>& batch) {
  // STUB: implemented by the stage's owner.
}

}  // namespace alcape::analysis
