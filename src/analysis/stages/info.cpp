#include "analysis/stages/info.hpp"

#include "analysis/stages/pystr.hpp"
#include "analysis/time_format.hpp"

#include <memory>
#include <optional>

namespace alcape::analysis {

namespace {

constexpr const char* kInfoSectionTitle = "Analysis Information";

// local_to_local_with_ms(info[key]); nullopt when the field is missing or not a "%Y-%m-%d %H:%M:%S" time.
std::optional<std::string> analysis_time(const json::Value& info, std::string_view key) {
  auto text = json::get_string(info, key);
  if (!text) return std::nullopt;
  return local_to_local_with_ms(*text);
}

// "<HHh MMm SSs>\t(<start> to <end>)", or the reference's error value -1 when a part is unusable.
json::Value duration_text(const json::Value& info, const std::optional<std::string>& start,
                          const std::optional<std::string>& end) {
  const json::Value* duration = json::find(info, "duration");
  if (!duration || !start || !end) return -1;
  auto seconds = py::to_int(*duration);
  if (!seconds) return -1;
  auto text = format_duration(*seconds);
  if (!text) return -1;
  return *text + "\t(" + *start + " to " + *end + ")";
}

const json::Value& field_or_null(const json::Value& info, std::string_view key) { return json::get(info, key); }

}  // namespace

// The reference raises when info lacks started/ended/duration/version/id/route; al-cape shows what it has: null
// values and Duration -1 (the reference's own error value).
void process_info(AnalysisContext& ctx, result::Section& parent) {
  const json::Value& info = ctx.report.info;
  if (!info.is_object() || info.empty()) return;

  auto start = analysis_time(info, "started");
  auto end = analysis_time(info, "ended");

  auto section = std::make_unique<result::Section>(kInfoSectionTitle, result::BodyFormat::KeyValue);
  section->set_item("CAPE Task ID", field_or_null(info, "id"));
  section->set_item("Duration", duration_text(info, start, end));
  section->set_item("Routing", field_or_null(info, "route"));
  section->set_item("CAPE Version", field_or_null(info, "version"));
  parent.add_child(std::move(section));

  // TODO(ontology): create the ontology Sandbox (objectid tag "CAPE", SandboxModel oid, session) with
  // analysis_metadata {start_time, task_id, end_time, routing, machine_metadata: None}, sandbox_name "CAPE",
  // sandbox_version info.version, once the ontology API is merged.
}

}  // namespace alcape::analysis
