// PowerShell and cmd commands found in sysmon command lines (§5.2 stage 9).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void extract_commands(const AnalysisContext& ctx, std::vector<std::string>& powershell, std::vector<std::string>& batch);

}  // namespace alcape::analysis
