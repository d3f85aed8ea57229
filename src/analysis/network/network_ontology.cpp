#include "analysis/network/network_ontology.hpp"

#include "analysis/network/network_sections_parts.hpp"
#include "analysis/ontology/sandbox_validation.hpp"
#include "analysis/tagging/tag_helper.hpp"

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
  const json::Value& process = json::get(d, "process");
  if (process.is_object()) d["process"] = json::get(process, "pid");
  return d;
}

namespace {

std::optional<json::Value> validate_connection(json::Value dict) {
  json::Value http = dict.contains("http_details") ? dict["http_details"] : json::Value();
  dict["http_details"] = nullptr;
  auto valid = ontology::validate_sandbox_event(dict, ontology::SandboxEventKind::NetworkConnection);
  if (!valid) return std::nullopt;
  if (http.is_object()) {
    if (!matches_full_uri(json::get_string_or(http, "request_uri", ""))) return std::nullopt;
    (*valid)["http_details"] = std::move(http);
  }
  return valid;
}

}  // namespace

void ConnectionListing::add(AnalysisContext& ctx, const ontology::NetworkConnection& nc, json::Value dict) {
  auto valid = validate_connection(std::move(dict));
  if (!valid) return;
  if (!ctx.process_events.is_object()) ctx.process_events = json::Value::object();
  json::Value& list = ctx.process_events["network_connections"];
  if (!list.is_array()) list = json::Value::array();
  listed_.emplace_back(&nc, list.size());
  list.push_back(std::move(*valid));
}

void ConnectionListing::add_or_update_http(AnalysisContext& ctx, const ontology::NetworkConnection& nc,
                                           json::Value dict) {
  for (const auto& [listed_nc, index] : listed_) {
    if (listed_nc != &nc) continue;
    json::Value& entry = ctx.process_events["network_connections"][index];
    if (!json::truthy(entry["http_details"]) && dict["http_details"].is_object() &&
        matches_full_uri(json::get_string_or(dict["http_details"], "request_uri", ""))) {
      entry["http_details"] = dict["http_details"];
      entry["connection_type"] = dict["connection_type"];
    }
    return;
  }
  add(ctx, nc, std::move(dict));
}

}  // namespace alcape::analysis::network
