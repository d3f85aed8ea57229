// "Report Reading Notices" section: what the report reader had to repair or skip (report.notices), so the analyst
// knows the result comes from a report that was not clean. al-cape only (deviation D-auxstages-2): added only when
// there are notices, as the last analysis section of the parent. Call it after the reference's stages.
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string_view>

namespace alcape::analysis {

inline constexpr std::string_view kReportNoticesSectionTitle = "Report Reading Notices";

void add_report_notices(AnalysisContext& ctx, result::Section& parent);

}  // namespace alcape::analysis
