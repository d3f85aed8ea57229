#include "analysis/stages/report_notices.hpp"

namespace alcape::analysis {

void add_report_notices(AnalysisContext& ctx, result::Section& parent) {
  const auto& notices = ctx.report.notices;
  if (notices.empty()) return;
  auto& section = parent.add_child(std::string(kReportNoticesSectionTitle));
  for (const auto& notice : notices) section.add_line(notice);
}

}  // namespace alcape::analysis
