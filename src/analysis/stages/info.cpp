#include "analysis/stages/info.hpp"

#include "analysis/ontology/ids.hpp"
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

std::optional<std::string> non_empty_string(const json::Value& v) {
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) return std::nullopt;
  return v.get<std::string>();
}

// The ontology Sandbox of this analysis: its id hashes name, version, times and task id; machine metadata comes
// later (process_machine_info). Missing times keep the library's MIN/MAX placeholders.
void add_sandbox(AnalysisContext& ctx, const json::Value& info, const std::optional<std::string>& start,
                 const std::optional<std::string>& end) {
  auto& ont = ctx.ontology;
  const json::Value& version = field_or_null(info, "version");
  const json::Value& task_id = field_or_null(info, "id");
  json::Value oid_data = {
      {"sandbox_name", ont.service_name()},
      {"sandbox_version", version},
      {"analysis_metadata",
       {{"start_time", start ? json::Value(*start) : json::Value(nullptr)},
        {"end_time", end ? json::Value(*end) : json::Value(nullptr)},
        {"task_id", task_id}}}};
  ontology::ObjectIDFields fields;
  fields.session = ont.create_session();
  auto objectid = ont.create_objectid(ont.service_name(), ontology::sandbox_oid(oid_data), fields);

  ontology::AnalysisMetadata meta;
  if (start) meta.start_time = *start;
  if (end) meta.end_time = *end;
  if (task_id.is_number_integer()) meta.task_id = task_id.get<int64_t>();
  meta.routing = non_empty_string(field_or_null(info, "route"));
  auto sandbox = ont.create_sandbox(objectid, ont.service_name(), meta, non_empty_string(version));
  if (sandbox) ont.add_sandbox(sandbox);
}

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

  add_sandbox(ctx, info, start, end);
}

}  // namespace alcape::analysis
