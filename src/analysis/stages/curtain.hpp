// PowerShell Activity section from curtain (§5.2 stage 12): the PowerShell script blocks CAPE's curtain module
// logged, per process, with their de-obfuscated form, and curtain's behaviour names as file.behavior tags.
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

inline constexpr std::string_view kCurtainSectionTitle = "PowerShell Activity";

// Adds the section when report.curtain is a non-empty object with at least one event.
void process_curtain(AnalysisContext& ctx, result::Section& parent);

}  // namespace alcape::analysis
