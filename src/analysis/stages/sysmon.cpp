#include "analysis/stages/sysmon.hpp"

namespace alcape::analysis {

void parse_sysmon(AnalysisContext& ctx) {
  // STUB: implemented by the stage's owner.
}

bool is_sysmon_event_of_interest(int event_id) {
  return true;
}

bool is_sysmon_field_of_interest(std::string_view lower_name) {
  return true;
}

}  // namespace alcape::analysis
