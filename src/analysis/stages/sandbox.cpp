// load_ontology_and_result_section (reference-behaviour.md §5.7): ontology processes from sysmon and capemon,
// the validated data behind the Processes (SANDBOX) section, the process-tree heuristic, and the order of the
// Processes / Network Activity / Signatures sections.
#include "analysis/stages/sandbox.hpp"

#include "analysis/ontology/sandbox_validation.hpp"
#include "analysis/stages/network_sections.hpp"
#include "analysis/stages/sandbox_body.hpp"
#include "analysis/stages/signature_sections.hpp"

#include <map>
#include <memory>

namespace alcape::analysis {

namespace {

namespace ont = ontology;

constexpr const char* kProcessesTitle = "Processes";
constexpr const char* kNetworkTitle = "Network Activity";
constexpr const char* kSignaturesTitle = "Signatures";
constexpr int kSuspiciousTreeHeuristic = 56;

bool list_contains(const json::Value& list, const json::Value& v) {
  for (const auto& e : list)
    if (e == v) return true;
  return false;
}

// Service names of the pid's service events, unique, in order.
json::Value services_of(const json::Value& proc) {
  json::Value out = json::Value::array();
  const json::Value& events = json::get(proc, "services_events");
  if (!events.is_array()) return out;
  for (const auto& e : events) {
    const json::Value& name = json::get(json::get(e, "arguments"), "Service");
    if (!name.is_null() && !list_contains(out, name)) out.push_back(name);
  }
  return out;
}

// Loaded module names: DLLName of "DLL" events, FunctionName of "Function" events (unique); for capemon-only
// processes also a Function's Identifier when it has no FunctionName (not de-duplicated, as in the reference).
json::Value modules_of(const json::Value& proc, bool with_identifiers, bool* had_events = nullptr) {
  json::Value out = json::Value::array();
  const json::Value& events = json::get(proc, "loaded_modules");
  if (had_events) *had_events = events.is_array() && !events.empty();
  if (!events.is_array()) return out;
  for (const auto& e : events) {
    const json::Value& object = json::get(e, "object");
    const json::Value& args = json::get(e, "arguments");
    if (object == "DLL") {
      const json::Value& name = json::get(args, "DLLName");
      if (!list_contains(out, name)) out.push_back(name);
    } else if (object == "Function") {
      const json::Value& fn = json::get(args, "FunctionName");
      if (json::truthy(fn)) {
        if (!list_contains(out, fn)) out.push_back(fn);
      } else if (with_identifiers && json::truthy(json::get(args, "Identifier"))) {
        out.push_back(json::get(args, "Identifier"));
      }
    }
  }
  return out;
}

size_t list_size(const json::Value& proc, const char* key) {
  const json::Value& v = json::get(proc, key);
  return v.is_array() || v.is_object() ? v.size() : 0;
}

std::string pid_key(const json::Value& pid) {
  if (pid.is_number_integer()) return std::to_string(pid.get<int64_t>());
  if (pid.is_string()) return pid.get<std::string>();
  return {};
}

// The section dict of an ontology process (p.as_primitives() without the ontology-only keys).
json::Value process_dict_base(const ont::Process& p) {
  json::Value d = p.as_primitives();
  for (const char* k : {"objectid", "pimage", "pcommand_line", "pobjectid", "loaded_modules", "services_involved"})
    d.erase(k);
  return d;
}

void append_if_valid(json::Value& list, const json::Value& item, ont::SandboxEventKind kind) {
  if (auto valid = ont::validate_sandbox_event(item, kind)) list.push_back(std::move(*valid));
}

ont::ObjectIDPtr process_objectid(AnalysisContext& ctx, const json::Value& oid_data, const std::string& image,
                                  const std::optional<std::string>& guid, const std::optional<std::string>& session) {
  auto tag = ont::Process::create_objectid_tag(image);
  if (!tag) return nullptr;
  ont::ObjectIDFields f;
  f.guid = guid;
  f.session = session;
  return ctx.ontology.create_objectid(*tag, ont::process_oid(oid_data), f);
}

json::Value oid_data(const json::Value& d) {
  json::Value o = json::Value::object();
  o["pid"] = json::get(d, "pid");
  o["ppid"] = json::get(d, "ppid");
  o["image"] = json::get(d, "image");
  o["command_line"] = json::get(d, "command_line");
  return o;
}

// Sysmon EventID 1 processes (and end times from EventID 5), in parsed-sysmon order. Returns the process-map
// pids that still need a capemon-only process.
std::vector<std::string> add_sysmon_processes(AnalysisContext& ctx, const std::optional<std::string>& session,
                                              json::Value& processes, std::map<int64_t, json::Value>& enrichment) {
  const json::Value& pmap = ctx.process_map;
  std::vector<std::string> still_to_create;
  if (pmap.is_object())
    for (auto it = pmap.begin(); it != pmap.end(); ++it) still_to_create.push_back(it.key());
  if (!ctx.parsed_sysmon.is_object()) return still_to_create;

  for (auto grp = ctx.parsed_sysmon.begin(); grp != ctx.parsed_sysmon.end(); ++grp) {
    bool created = false;
    if (!grp.value().is_array()) continue;
    for (const auto& raw : grp.value()) {
      const auto event_id = json::get_int(raw, "event_id");
      const json::Value& pid = json::get(raw, "pid");
      if (event_id == 1) {
        auto guid = json::get_string(raw, "guid");
        if (guid && ctx.ontology.is_guid_in_gpm(*guid)) {
          ctx.ontology.update_process(ont::ProcessFields::from_json(raw));
          continue;
        }
        json::Value event = raw;
        const std::string key = pid_key(pid);
        const bool monitored = !key.empty() && pmap.is_object() && pmap.contains(key);
        if (monitored) {
          json::Value services = services_of(pmap[key]);
          json::Value modules = modules_of(pmap[key], false);
          if (!services.empty()) event["services_involved"] = std::move(services);
          if (!modules.empty()) event["loaded_modules"] = std::move(modules);
        }
        json::Value safelisted = json::get(event, "safelisted");
        auto image = json::get_string(event, "image");
        auto objectid = process_objectid(ctx, oid_data(event), image.value_or(""), guid, session);
        auto p = ctx.ontology.create_process(objectid, ont::ProcessFields::from_json(event));
        if (!p) continue;  // the reference raises on a process without image or start time
        ctx.ontology.add_process(p);
        created = true;
        json::Value d = process_dict_base(*p);
        d["safelisted"] = safelisted;
        if (p->pid) {
          auto e = enrichment.find(*p->pid);
          if (e != enrichment.end()) d["end_time"] = e->second;
        }
        if (monitored) {
          d["file_count"] = list_size(pmap[key], "file_events");
          d["registry_count"] = list_size(pmap[key], "registry_events");
          d["sources"] = json::Value::array({"capemon", "sysmon"});
        } else {
          d["sources"] = json::Value::array({"sysmon"});
        }
        append_if_valid(processes, d, ont::SandboxEventKind::Process);
      } else if (event_id == 5) {
        const json::Value* end = json::find(raw, "end_time");
        json::Value end_time = end ? *end : json::Value("-");
        if (created) {
          for (auto& proc : processes)
            if (json::get(proc, "pid") == pid) proc["end_time"] = end_time;
        } else if (pid.is_number_integer()) {
          enrichment[pid.get<int64_t>()] = end_time;
        }
      }
    }
    if (created) {
      auto it = std::find(still_to_create.begin(), still_to_create.end(), grp.key());
      if (it != still_to_create.end()) still_to_create.erase(it);
    }
  }
  return still_to_create;
}

// Processes seen by capemon only: no GUID (a random one is assigned), not safelisted.
void add_capemon_processes(AnalysisContext& ctx, const std::optional<std::string>& session,
                           const std::vector<std::string>& pids, json::Value& processes,
                           const std::map<int64_t, json::Value>& enrichment) {
  for (const auto& key : pids) {
    const json::Value& proc = ctx.process_map[key];
    json::Value pid;
    try {
      pid = json::Value(std::stoll(key));
    } catch (...) {
      pid = key;
    }
    json::Value event = json::Value::object();
    event["pid"] = pid;
    event["image"] = json::get(proc, "image");
    event["ppid"] = json::get(proc, "ppid");
    event["start_time"] = json::get(proc, "start_time");
    event["command_line"] = json::get(proc, "command_line");
    // The reference sets these inside its module loop: only when there is at least one module event.
    bool had_module_events = false;
    json::Value modules = modules_of(proc, true, &had_module_events);
    json::Value services = services_of(proc);
    if (had_module_events) {
      if (!services.empty()) event["services_involved"] = std::move(services);
      if (!modules.empty()) event["loaded_modules"] = std::move(modules);
    }
    auto image = json::get_string(event, "image");
    auto objectid = process_objectid(ctx, oid_data(event), image.value_or(""), std::nullopt, session);
    auto p = ctx.ontology.create_process(objectid, ont::ProcessFields::from_json(event));
    if (!p) continue;  // the reference raises on a process without image or start time
    ctx.ontology.add_process(p);
    json::Value d = process_dict_base(*p);
    d["safelisted"] = false;
    auto e = p->pid ? enrichment.find(*p->pid) : enrichment.end();
    d["end_time"] = e != enrichment.end() ? e->second : json::Value("-");
    d["file_count"] = list_size(proc, "file_events");
    d["registry_count"] = list_size(proc, "registry_events");
    d["sources"] = json::Value::array({"capemon"});
    append_if_valid(processes, d, ont::SandboxEventKind::Process);
  }
}

}  // namespace

void build_sandbox_sections(AnalysisContext& ctx, result::Section& parent) {
  if (ctx.ontology.sandboxes().empty()) return;
  const ont::SandboxPtr sandbox = ctx.ontology.sandboxes().back();
  const std::optional<std::string> session = sandbox->objectid ? sandbox->objectid->session : std::nullopt;

  auto process_res = std::make_unique<result::Section>(kProcessesTitle, result::BodyFormat::Sandbox);
  auto sigs_res = std::make_unique<result::Section>(kSignaturesTitle);
  sigs_res->auto_collapse = true;
  auto network_res = std::make_unique<result::Section>(kNetworkTitle);
  network_res->auto_collapse = true;

  json::Value events = json::Value::object();
  events["signatures"] = json::Value::array();
  events["network_connections"] = json::Value::array();
  events["processes"] = json::Value::array();
  json::Value info = sandbox->as_primitives();
  info.erase("objectid");
  events["analysis_information"] = std::move(info);

  std::map<int64_t, json::Value> enrichment;  // pid -> end time of a sysmon termination seen before creation
  auto still_to_create = add_sysmon_processes(ctx, session, events["processes"], enrichment);
  add_capemon_processes(ctx, session, still_to_create, events["processes"], enrichment);

  ctx.process_events = std::move(events);
  add_network_sections(ctx, *network_res);
  add_signature_sections(ctx, *sigs_res);

  if (auto valid = ont::validate_sandbox_event(ctx.process_events, ont::SandboxEventKind::Complete))
    ctx.process_events = std::move(*valid);

  // Process-tree inspection is always on here (§10.29).
  auto [tree, signature_list] =
      ctx.ontology.get_process_tree(ont::processtree_id_safelist(ctx.params.custom_processtree_id_safelist), true);
  if (!signature_list.empty()) {
    auto& heur = process_res->set_heuristic(kSuspiciousTreeHeuristic);
    std::vector<std::pair<std::string, int>> counts;  // Counter: first-seen order
    for (const auto& s : signature_list) {
      auto it = std::find_if(counts.begin(), counts.end(), [&s](const auto& c) { return c.first == s; });
      if (it == counts.end()) counts.emplace_back(s, 1);
      else ++it->second;
    }
    for (const auto& [name, count] : counts) heur.add_signature_id(name, 0, count);
  }

  process_res->data = sandbox_section_body(ctx.process_events);
  parent.add_child(std::move(process_res));
  if (!network_res->children.empty()) parent.add_child(std::move(network_res));
  if (!sigs_res->children.empty()) parent.add_child(std::move(sigs_res));
}

}  // namespace alcape::analysis
