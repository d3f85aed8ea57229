#include "analysis/network/network_ontology.hpp"

#include "analysis/network/network_sections_parts.hpp"
#include "analysis/ontology/sandbox_validation.hpp"

namespace alcape::analysis::network {

std::optional<int64_t> as_pid(const json::Value& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_unsigned()) return static_cast<int64_t>(v.get<uint64_t>());
  return std::nullopt;
}

std::optional<std::string> as_opt_string(const json::Value& v) {
  if (v.is_string()) return v.get<std::string>();
  return std::nullopt;
}

std::string sandbox_session(const AnalysisContext& ctx) {
  const auto& sandboxes = ctx.ontology.sandboxes();
  if (sandboxes.empty() || !sandboxes.back()->objectid || !sandboxes.back()->objectid->session) return {};
  return *sandboxes.back()->objectid->session;
}

void link_connection_process(AnalysisContext& ctx, ontology::NetworkConnection& nc, const json::Value& pid,
                             const json::Value& image) {
  if (!nc.process && json::truthy(pid)) {
    nc.set_process(ctx.ontology.get_process_by_pid(as_pid(pid)));
  } else if (json::truthy(pid) && json::truthy(image)) {
    ontology::ProcessFields fields;
    fields.image = as_opt_string(image);
    fields.pid = as_pid(pid);
    nc.update_process(fields);
  }
}

json::Value connection_event_dict(const ontology::NetworkConnection& nc, const json::Value& sources) {
  json::Value d = nc.as_primitives();
  d["time_observed"] = json::get(json::get(d, "objectid"), "time_observed");
  d.erase("objectid");
  d["sources"] = sources;
  return d;
}

void append_validated_connection(AnalysisContext& ctx, json::Value connection) {
  auto valid = ontology::validate_sandbox_event(connection, ontology::SandboxEventKind::NetworkConnection);
  if (!valid) return;
  if (!ctx.process_events.is_object()) ctx.process_events = json::Value::object();
  ctx.process_events["network_connections"].push_back(std::move(*valid));
}

}  // namespace alcape::analysis::network
