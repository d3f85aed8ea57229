// Sysmon events -> parsed_sysmon (§5.4).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

void parse_sysmon(AnalysisContext& ctx);

// Sysmon event ids and EventData names the parser reads: the report reader keeps only these.
bool is_sysmon_event_of_interest(int event_id);
bool is_sysmon_field_of_interest(std::string_view lower_name);

}  // namespace alcape::analysis
