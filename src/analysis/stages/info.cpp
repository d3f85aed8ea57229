#include "analysis/stages/info.hpp"

namespace alcape::analysis {

void process_info(const report::Report& report, const ParserParams& params, result::Section& parent) {
  if (report.info_p != report::Presence::kPresent) return;
  auto& s = parent.add_child("Analysis Information", result::BodyFormat::KeyValue);
  s.set_item("CAPE Task ID", json::get(report.info, "id"));
  s.set_item("Routing", json::get(report.info, "route"));
  s.set_item("CAPE Version", json::get(report.info, "version"));
}

}  // namespace alcape::analysis
