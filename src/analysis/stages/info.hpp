// "Analysis Information" (reference-behaviour.md §5.2 stage 1).
#pragma once

#include "analysis/params.hpp"
#include "report/model.hpp"
#include "result/section.hpp"

namespace alcape::analysis {

void process_info(const report::Report& report, const ParserParams& params, result::Section& parent);

}  // namespace alcape::analysis
