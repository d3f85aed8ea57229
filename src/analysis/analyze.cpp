#include "analysis/analyze.hpp"

#include "analysis/stages/info.hpp"

namespace alcape::analysis {

report::ReadOptions analysis_read_options() {
  report::ReadOptions o;
  return o;
}

AnalysisOutput analyze_report(const report::Report& report, const ParserParams& params, result::Section& parent) {
  AnalysisOutput out;
  process_info(report, params, parent);
  return out;
}

}  // namespace alcape::analysis
