// The ontology objects: their dict form and the per-object update rules of the library.
#include "analysis/ontology/object_updates.hpp"
#include "analysis/ontology/ontology.hpp"
#include "analysis/ontology/times.hpp"
#include "data/embedded.hpp"

#include <algorithm>

namespace alcape::analysis::ontology {

namespace {

json::Value opt(const std::optional<std::string>& v) { return v ? json::Value(*v) : json::Value(nullptr); }
json::Value opt(const std::optional<int64_t>& v) { return v ? json::Value(*v) : json::Value(nullptr); }
json::Value opt(const std::optional<std::vector<std::string>>& v) {
  if (!v) return nullptr;
  json::Value a = json::Value::array();
  for (const auto& s : *v) a.push_back(s);
  return a;
}
json::Value opt(const ObjectIDPtr& v) { return v ? v->as_primitives() : json::Value(nullptr); }

std::string ascii_lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

// --- update_object_items rules ---

bool is_unset(const std::optional<std::string>& v) {
  return !v || v->empty() || *v == kMaxTime || *v == kMinTime;
}

void fill(std::optional<std::string>& field, const std::optional<std::string>& value) {
  if (value && !value->empty() && is_unset(field)) field = value;
}

void fill(std::optional<int64_t>& field, const std::optional<int64_t>& value) {
  if (value && !field) field = value;
}

void fill(std::optional<std::vector<std::string>>& field, const std::optional<std::vector<std::string>>& value) {
  if (value && (!field || field->empty())) field = value;
}

void fill_objectid(ObjectID& o, const ObjectID& values) {
  if (!values.tag.empty() && o.tag.empty()) o.tag = values.tag;
  if (!values.ontology_id.empty() && o.ontology_id.empty()) o.ontology_id = values.ontology_id;
  fill(o.service_name, values.service_name);
  fill(o.guid, values.guid);
  fill(o.treeid, values.treeid);
  fill(o.processtree, values.processtree);
  fill(o.time_observed, values.time_observed);
  fill(o.session, values.session);
}

std::optional<std::string> normalise_guid(std::string_view guid) {
  // uuid.UUID(): optional "urn:uuid:" prefix, braces and hyphens removed, then exactly 32 hex digits.
  std::string_view g = guid;
  if (g.rfind("urn:uuid:", 0) == 0) g.remove_prefix(9);
  std::string hex;
  for (char c : g) {
    if (c == '{' || c == '}' || c == '-') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    hex += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (hex.size() != 32) return std::nullopt;
  return "{" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20) + "}";
}

void update_process_fields(Process& p, const ProcessFields& f) {
  if (f.all_absent()) return;
  if (f.start_time && !f.start_time->empty() && !p.objectid->time_observed && is_local_time_with_ms(*f.start_time))
    p.objectid->time_observed = f.start_time;
  if (p.image.empty() && f.image) p.image = *f.image;
  fill(p.start_time, f.start_time);
  fill(p.pimage, f.pimage);
  fill(p.pcommand_line, f.pcommand_line);
  fill(p.ppid, f.ppid);
  fill(p.pid, f.pid);
  fill(p.command_line, f.command_line);
  fill(p.end_time, f.end_time);
  std::optional<std::string> integrity = f.integrity_level;
  if (integrity) integrity = ascii_lower(*integrity);
  fill(p.integrity_level, integrity);
  fill(p.image_hash, f.image_hash);
  fill(p.original_file_name, f.original_file_name);
  fill(p.loaded_modules, f.loaded_modules);
  fill(p.services_involved, f.services_involved);
}

// --- ObjectID ---

json::Value ObjectID::as_primitives() const {
  json::Value o = json::Value::object();
  o["tag"] = tag;
  o["ontology_id"] = ontology_id;
  o["service_name"] = opt(service_name);
  o["guid"] = opt(guid);
  o["treeid"] = opt(treeid);
  o["processtree"] = opt(processtree);
  o["time_observed"] = opt(time_observed);
  o["session"] = opt(session);
  return o;
}

// --- Process ---

json::Value Process::as_primitives() const {
  json::Value o = json::Value::object();
  o["objectid"] = opt(objectid);
  o["image"] = image;
  o["start_time"] = opt(start_time);
  o["pobjectid"] = opt(pobjectid);
  o["pimage"] = opt(pimage);
  o["pcommand_line"] = opt(pcommand_line);
  o["ppid"] = opt(ppid);
  o["pid"] = opt(pid);
  o["command_line"] = opt(command_line);
  o["end_time"] = opt(end_time);
  o["integrity_level"] = opt(integrity_level);
  o["image_hash"] = opt(image_hash);
  o["original_file_name"] = opt(original_file_name);
  o["loaded_modules"] = opt(loaded_modules);
  o["services_involved"] = opt(services_involved);
  return o;
}

void Process::set_parent(const std::shared_ptr<Process>& parent) {
  if (!parent || parent.get() == this) return;
  pobjectid = parent->objectid;
  pimage = parent->image;
  if (!pcommand_line) pcommand_line = parent->command_line;
  ppid = parent->pid;
}

std::optional<std::string> Process::create_objectid_tag(std::string_view image) {
  if (image.empty()) return std::nullopt;
  return normalize_path(image);
}

ProcessFields ProcessFields::from_json(const json::Value& d) {
  ProcessFields f;
  auto str = [&d](const char* k) { return json::get_string(d, k); };
  auto integer = [&d](const char* k) -> std::optional<int64_t> {
    const json::Value* v = json::find(d, k);
    if (v && v->is_number_integer()) return v->get<int64_t>();
    return std::nullopt;
  };
  auto list = [&d](const char* k) -> std::optional<std::vector<std::string>> {
    const json::Value* v = json::find(d, k);
    if (!v || !v->is_array()) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& e : *v)
      if (e.is_string()) out.push_back(e.get<std::string>());
    return out;
  };
  f.guid = str("guid");
  f.pguid = str("pguid");
  f.image = str("image");
  f.start_time = str("start_time");
  f.end_time = str("end_time");
  f.pid = integer("pid");
  f.ppid = integer("ppid");
  f.command_line = str("command_line");
  f.pimage = str("pimage");
  f.pcommand_line = str("pcommand_line");
  f.integrity_level = str("integrity_level");
  f.image_hash = str("image_hash");
  f.original_file_name = str("original_file_name");
  f.loaded_modules = list("loaded_modules");
  f.services_involved = list("services_involved");
  return f;
}

bool ProcessFields::all_absent() const {
  return !guid && !pguid && !image && !start_time && !end_time && !pid && !ppid && !command_line && !pimage &&
         !pcommand_line && !integrity_level && !image_hash && !original_file_name && !loaded_modules &&
         !services_involved;
}

// --- network ---

json::Value NetworkDNS::as_primitives() const {
  json::Value o = json::Value::object();
  o["domain"] = domain;
  o["resolved_ips"] = opt(resolved_ips);
  o["resolved_domains"] = opt(resolved_domains);
  o["lookup_type"] = lookup_type;
  return o;
}

json::Value NetworkHTTP::as_primitives() const {
  json::Value o = json::Value::object();
  o["request_uri"] = request_uri;
  o["request_method"] = request_method;
  o["request_headers"] = request_headers;
  o["response_headers"] = response_headers;
  o["request_body"] = opt(request_body);
  o["response_status_code"] = opt(response_status_code);
  o["response_body"] = opt(response_body);
  return o;
}

json::Value NetworkConnection::as_primitives() const {
  json::Value o = json::Value::object();
  o["objectid"] = opt(objectid);
  o["destination_ip"] = destination_ip;
  o["destination_port"] = destination_port;
  o["transport_layer_protocol"] = transport_layer_protocol;
  o["direction"] = direction;
  o["process"] = process ? process->as_primitives() : json::Value(nullptr);
  o["source_ip"] = opt(source_ip);
  o["source_port"] = opt(source_port);
  o["http_details"] = http_details ? http_details->as_primitives() : json::Value(nullptr);
  o["dns_details"] = dns_details ? dns_details->as_primitives() : json::Value(nullptr);
  o["connection_type"] = opt(connection_type);
  return o;
}

void NetworkConnection::update_process(const ProcessFields& fields, ObjectIDPtr new_objectid) {
  if (fields.all_absent() && !new_objectid) return;
  if (!process) {
    if (!new_objectid || !fields.image || fields.image->empty() || !fields.start_time || fields.start_time->empty())
      return;
    process = std::make_shared<Process>();
    process->objectid = new_objectid;
    process->image = *fields.image;
    process->start_time = fields.start_time;
    if (!process->objectid->time_observed) process->objectid->time_observed = fields.start_time;
  } else if (new_objectid && new_objectid != process->objectid) {
    ObjectID values = *new_objectid;
    if (values.guid) values.guid = normalise_guid(*values.guid);
    fill_objectid(*process->objectid, values);
  }
  update_process_fields(*process, fields);
}

void NetworkConnection::update_details(NetworkHTTPPtr http, std::optional<std::string> type) {
  if (http && !http_details) http_details = std::move(http);
  if (type && !type->empty() && (!connection_type || connection_type->empty())) connection_type = std::move(type);
}

// --- signatures ---

json::Value Attribute::as_primitives() const {
  json::Value o = json::Value::object();
  o["source"] = opt(source);
  o["target"] = opt(target);
  o["action"] = opt(action);
  o["meta"] = opt(meta);
  o["event_record_id"] = opt(event_record_id);
  o["domain"] = opt(domain);
  o["uri"] = opt(uri);
  o["file_hash"] = opt(file_hash);
  return o;
}

json::Value Signature::as_primitives() const {
  json::Value o = json::Value::object();
  o["objectid"] = opt(objectid);
  o["name"] = name;
  o["type"] = type;
  o["classification"] = classification;
  json::Value attrs = json::Value::array();
  for (const auto& a : attributes) attrs.push_back(a->as_primitives());
  o["attributes"] = std::move(attrs);
  o["attacks"] = attacks;
  json::Value actors_v = json::Value::array();
  for (const auto& a : actors) actors_v.push_back(a);
  o["actors"] = std::move(actors_v);
  json::Value families = json::Value::array();
  for (const auto& f : malware_families) families.push_back(f);
  o["malware_families"] = std::move(families);
  return o;
}

void Signature::add_attack_id(const std::string& raw_id) {
  static const json::Value kAttack = json::Value::parse(data::file("attack_map.json"));
  const json::Value& revoke = json::get(kAttack, "revoke_map");
  std::string id = raw_id;
  if (const json::Value* r = json::find(revoke, id); r && r->is_string()) id = r->get<std::string>();
  for (const auto& a : attacks)
    if (json::get_string(a, "attack_id") == id) return;
  const json::Value* entry = json::find(json::get(kAttack, "attack_map"), id);
  if (!entry) return;
  json::Value item = json::Value::object();
  item["attack_id"] = id;
  item["pattern"] = json::get(*entry, "pattern");
  item["categories"] = json::get(*entry, "categories");
  attacks.push_back(std::move(item));
}

void Signature::add_attribute(AttributePtr attribute) {
  if (!attribute) return;
  json::Value prims = attribute->as_primitives();
  for (const auto& a : attributes)
    if (a->as_primitives() == prims) return;
  attributes.push_back(std::move(attribute));
}

// --- sandbox ---

json::Value MachineMetadata::as_primitives() const {
  json::Value o = json::Value::object();
  o["ip"] = opt(ip);
  o["hypervisor"] = opt(hypervisor);
  o["hostname"] = opt(hostname);
  o["platform"] = opt(platform);
  o["version"] = opt(version);
  o["architecture"] = opt(architecture);
  return o;
}

json::Value AnalysisMetadata::as_primitives() const {
  json::Value o = json::Value::object();
  o["start_time"] = start_time;
  o["task_id"] = opt(task_id);
  o["end_time"] = end_time;
  o["routing"] = opt(routing);
  o["machine_metadata"] = machine_metadata ? machine_metadata->as_primitives() : json::Value(nullptr);
  return o;
}

json::Value Sandbox::as_primitives() const {
  json::Value o = json::Value::object();
  o["objectid"] = opt(objectid);
  o["analysis_metadata"] = analysis_metadata.as_primitives();
  o["sandbox_name"] = sandbox_name;
  o["sandbox_version"] = opt(sandbox_version);
  return o;
}

void Sandbox::update_machine_metadata(const MachineMetadata& v) {
  if (!analysis_metadata.machine_metadata) analysis_metadata.machine_metadata = MachineMetadata{};
  MachineMetadata& m = *analysis_metadata.machine_metadata;
  fill(m.ip, v.ip);
  fill(m.hypervisor, v.hypervisor);
  fill(m.hostname, v.hostname);
  fill(m.platform, v.platform);
  fill(m.version, v.version);
  fill(m.architecture, v.architecture);
}

}  // namespace alcape::analysis::ontology
