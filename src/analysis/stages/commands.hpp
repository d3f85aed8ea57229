// PowerShell and cmd commands found in sysmon command lines (§5.2 stage 9).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

// The distinct PowerShell and cmd commands of the process-creation (EventID 1) command lines of parsed_sysmon, in
// order, as multidecoder's find_powershell_strings/get_powershell_command and find_cmd_strings/get_cmd_command
// give them (UTF-8 bytes, no trailing newline). The service writes each + "\n" after the CUSTOM_PS1_ID /
// CUSTOM_BATCH_ID line into commands.ps1 / commands.bat.
void extract_commands(const AnalysisContext& ctx, std::vector<std::string>& powershell, std::vector<std::string>& batch);

}  // namespace alcape::analysis
