// OntologyResults: creation, validation, lookup and linking of the ontology objects.
#include "analysis/ontology/ontology.hpp"

#include "analysis/ontology/object_updates.hpp"
#include "analysis/ontology/times.hpp"

#include <algorithm>
#include <cstdio>

namespace alcape::analysis::ontology {

namespace {

std::string ascii_upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

bool truthy(const std::optional<std::string>& s) { return s && !s->empty(); }

// Python dict equality (key order does not matter), recursively.
bool py_equal(const json::Value& a, const json::Value& b) {
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !py_equal(it.value(), *other)) return false;
    }
    return true;
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!py_equal(a[i], b[i])) return false;
    return true;
  }
  if (a.is_number() && b.is_number() && !a.is_boolean() && !b.is_boolean()) return a.get<double>() == b.get<double>();
  return a == b;
}

}  // namespace

Ontology::Ontology(std::string service_name, uint64_t seed) : service_name_(std::move(service_name)), rng_(seed) {}

std::string Ontology::create_session() {
  unsigned __int128 n = (static_cast<unsigned __int128>(rng_()) << 64) | rng_();
  // uuid4: version and variant bits, as get_random_id encodes uuid4().int.
  n &= ~(static_cast<unsigned __int128>(0xF000) << 64);
  n |= static_cast<unsigned __int128>(0x4000) << 64;
  n &= ~(static_cast<unsigned __int128>(0xC000000000000000ULL));
  n |= static_cast<unsigned __int128>(0x8000000000000000ULL);
  return base62(n);
}

std::string Ontology::random_guid() {
  uint64_t hi = rng_(), lo = rng_();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;
  lo = (lo & ~0xC000000000000000ULL) | 0x8000000000000000ULL;
  char buf[40];
  std::snprintf(buf, sizeof buf, "{%08X-%04X-%04X-%04X-%012llX}", static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xFFFF), static_cast<unsigned>(hi & 0xFFFF),
                static_cast<unsigned>(lo >> 48), static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

ObjectIDPtr Ontology::create_objectid(std::string tag, std::string ontology_id, ObjectIDFields f) const {
  if (tag.empty() || ontology_id.empty()) return nullptr;
  if (f.time_observed && !is_local_time_with_ms(*f.time_observed)) return nullptr;
  auto o = std::make_shared<ObjectID>();
  o->tag = std::move(tag);
  o->ontology_id = std::move(ontology_id);
  o->service_name = truthy(f.service_name) ? f.service_name : std::optional<std::string>(service_name_);
  fill(o->guid, f.guid);
  fill(o->treeid, f.treeid);
  fill(o->processtree, f.processtree);
  fill(o->time_observed, f.time_observed);
  fill(o->session, f.session);
  return o;
}

// --- sandboxes ---

SandboxPtr Ontology::create_sandbox(ObjectIDPtr objectid, std::string sandbox_name, AnalysisMetadata meta,
                                    std::optional<std::string> sandbox_version) const {
  if (!objectid || sandbox_name.empty()) return nullptr;
  auto s = std::make_shared<Sandbox>();
  s->objectid = std::move(objectid);
  s->sandbox_name = std::move(sandbox_name);
  if (truthy(sandbox_version)) s->sandbox_version = std::move(sandbox_version);
  // update_analysis_metadata(**analysis_metadata.as_primitives()) on a fresh AnalysisMetadata.
  AnalysisMetadata& m = s->analysis_metadata;
  if (!meta.start_time.empty()) m.start_time = meta.start_time;
  m.task_id = meta.task_id;
  if (!meta.end_time.empty()) m.end_time = meta.end_time;
  if (truthy(meta.routing)) m.routing = meta.routing;
  m.machine_metadata = meta.machine_metadata;
  return s;
}

void Ontology::update_machine_metadata(const MachineMetadata& values) {
  if (!sandboxes_.empty()) sandboxes_.back()->update_machine_metadata(values);
}

// --- processes ---

ProcessPtr Ontology::create_process(ObjectIDPtr objectid, const ProcessFields& f) {
  if (!objectid || !truthy(f.image) || !truthy(f.start_time)) return nullptr;
  auto p = std::make_shared<Process>();
  p->objectid = std::move(objectid);
  p->image = *f.image;
  p->start_time = f.start_time;
  if (!p->objectid->time_observed) p->objectid->time_observed = p->start_time;
  update_process_fields(*p, f);
  if (!truthy(p->objectid->guid)) p->objectid->guid = random_guid();
  if (!truthy(p->end_time)) p->end_time = std::string(kMaxTime);
  if (!truthy(p->objectid->time_observed)) p->objectid->time_observed = p->start_time;
  return p;
}

bool Ontology::handle_pid_match(const Process& p) const {
  bool valid = false;
  bool any = false;
  for (const auto& other : processes_) {
    if (other->pid != p.pid) continue;
    any = true;
    const std::string ps = p.start_time.value_or(""), pe = p.end_time.value_or("");
    const std::string os = other->start_time.value_or(""), oe = other->end_time.value_or("");
    if (os == ps && oe == pe) continue;
    if (ps >= oe || pe <= os) valid = true;
  }
  return any ? valid : true;
}

bool Ontology::validate_process(const Process& p) const {
  const auto& guid = p.objectid->guid;
  if (!guid && !p.pid) return false;
  // The map's keys are upper case while the GUID is compared as given (a lower-case GUID is never "known").
  const bool guid_known = guid && guid_process_map_.count(*guid) > 0;
  bool pid_known = false;
  if (p.pid)
    for (const auto& [key, proc] : guid_process_map_)
      if (proc->pid == p.pid) {
        pid_known = true;
        break;
      }
  if (guid_known) return false;
  if (pid_known) return handle_pid_match(p);
  return true;
}

void Ontology::add_process(const ProcessPtr& p) {
  if (!p || !p->objectid || !validate_process(*p)) return;
  std::string key = p->objectid->guid ? ascii_upper(*p->objectid->guid) : std::string();
  guid_process_map_[key] = p;
  set_parent_details(p);
  set_child_details(p);
  processes_.push_back(p);
}

void Ontology::set_parent_details(const ProcessPtr& p) {
  ProcessPtr parent;
  if (p->pobjectid && p->pobjectid->guid) {
    parent = get_process_by_guid(p->pobjectid->guid);
    p->set_parent(parent);
  }
  if (!parent && p->ppid && *p->ppid != 0 && truthy(p->start_time)) {
    parent = get_process_by_guid(get_guid_by_pid_and_time(p->ppid, p->start_time));
    p->set_parent(parent);
  }
}

void Ontology::set_child_details(const ProcessPtr& p) {
  if (truthy(p->objectid->guid)) {
    for (const auto& child : processes_)
      if (child->pobjectid && child->pobjectid->guid == p->objectid->guid) child->set_parent(p);
  }
  if (p->pid && *p->pid != 0 && truthy(p->start_time)) {
    const std::string& ts = *p->start_time;
    for (const auto& child : processes_)
      if (child->ppid == p->pid && ts <= child->end_time.value_or("") && ts >= child->start_time.value_or(""))
        child->set_parent(p);
  }
}

void Ontology::update_process(const ProcessFields& f) {
  if (f.all_absent()) return;
  if (!f.guid && !f.pid) return;
  if (!f.guid && f.pid && !f.start_time && !f.end_time) return;

  ProcessPtr target;
  if (truthy(f.guid)) {
    target = get_process_by_guid(f.guid);
    if (!target) {
      // The reference creates the process from the keyword arguments, which lack an objectid: it raises.
      return;
    }
    update_process_fields(*target, f);
  } else {
    const std::optional<std::string>& ts = truthy(f.end_time) ? f.end_time : f.start_time;
    auto guid = get_guid_by_pid_and_time(f.pid, ts);
    if (!guid) return;  // the reference would create a process without objectid (it raises)
    target = get_process_by_guid(guid);
    if (target) update_process_fields(*target, f);
  }

  if (truthy(f.pguid)) {
    if (target)
      for (const auto& proc : processes_)
        if (target->pobjectid && target->pobjectid == proc->objectid) return;
    ProcessPtr parent = get_process_by_guid(f.pguid);
    if (target && parent) target->set_parent(parent);
  }
}

bool Ontology::is_guid_in_gpm(std::string_view guid) const {
  auto norm = normalise_guid(guid);
  if (!norm) return false;
  return guid_process_map_.count(*norm) > 0;
}

ProcessPtr Ontology::get_process_by_guid(const std::optional<std::string>& guid) const {
  if (!guid) return nullptr;
  auto it = guid_process_map_.find(ascii_upper(*guid));
  return it == guid_process_map_.end() ? nullptr : it->second;
}

ProcessPtr Ontology::get_process_by_pid(std::optional<int64_t> pid) const {
  if (!pid || *pid == 0) return nullptr;
  for (const auto& p : processes_)
    if (p->pid && *p->pid == *pid) return p;
  return nullptr;
}

ProcessPtr Ontology::get_process_by_pid_and_time(std::optional<int64_t> pid,
                                                 const std::optional<std::string>& ts) const {
  if (!pid || !ts) return nullptr;
  ProcessPtr found;
  int count = 0;
  for (const auto& p : processes_) {
    if (p->pid == pid && *ts <= p->end_time.value_or("") && *ts >= p->start_time.value_or("")) {
      found = p;
      ++count;
    }
  }
  return count == 1 ? found : nullptr;
}

std::optional<std::string> Ontology::get_guid_by_pid_and_time(std::optional<int64_t> pid,
                                                              const std::optional<std::string>& ts) const {
  auto p = get_process_by_pid_and_time(pid, ts);
  return p ? p->objectid->guid : std::nullopt;
}

// --- network ---

NetworkConnectionPtr Ontology::create_network_connection(NetworkConnection nc) const {
  if (!nc.objectid || nc.destination_ip.empty() || nc.transport_layer_protocol.empty() || nc.direction.empty())
    return nullptr;
  if (nc.transport_layer_protocol != NetworkConnection::kTcp && nc.transport_layer_protocol != NetworkConnection::kUdp)
    return nullptr;
  if (nc.direction != NetworkConnection::kOutbound && nc.direction != NetworkConnection::kInbound &&
      nc.direction != NetworkConnection::kUnknown)
    return nullptr;
  if (nc.source_ip && nc.source_ip->empty()) nc.source_ip.reset();
  if (nc.connection_type && nc.connection_type->empty()) nc.connection_type.reset();
  return std::make_shared<NetworkConnection>(std::move(nc));
}

void Ontology::add_network_connection(const NetworkConnectionPtr& nc) {
  if (!nc) return;
  if (nc->process) {
    std::optional<std::string> guid = nc->process->objectid ? nc->process->objectid->guid : std::nullopt;
    if (!guid) guid = get_guid_by_pid_and_time(nc->process->pid, nc->process->start_time);
    nc->set_process(get_process_by_guid(guid));
  }
  netflows_.push_back(nc);
}

NetworkDNSPtr Ontology::create_network_dns(std::string domain, std::optional<std::vector<std::string>> resolved_ips,
                                           std::optional<std::vector<std::string>> resolved_domains,
                                           std::string lookup_type) const {
  if (domain.empty() || lookup_type.empty() || (!resolved_ips && !resolved_domains)) return nullptr;
  // NetworkDNS rejects an empty (but present) list.
  if ((resolved_ips && resolved_ips->empty()) || (resolved_domains && resolved_domains->empty())) return nullptr;
  auto d = std::make_shared<NetworkDNS>();
  d->domain = std::move(domain);
  d->resolved_ips = std::move(resolved_ips);
  d->resolved_domains = std::move(resolved_domains);
  d->lookup_type = std::move(lookup_type);
  return d;
}

NetworkHTTPPtr Ontology::create_network_http(NetworkHTTP http) const {
  if (http.request_uri.empty() || http.request_method.empty()) return nullptr;
  if (!http.request_headers.is_object()) http.request_headers = json::Value::object();
  if (!http.response_headers.is_object()) http.response_headers = json::Value::object();
  auto drop_empty = [](std::optional<std::string>& s) {
    if (s && s->empty()) s.reset();
  };
  drop_empty(http.request_body);
  drop_empty(http.response_body);
  drop_empty(http.request_body_path);
  drop_empty(http.response_body_path);
  return std::make_shared<NetworkHTTP>(std::move(http));
}

NetworkConnectionPtr Ontology::get_network_connection_by_details(const std::string& destination_ip,
                                                                 int64_t destination_port, std::string_view direction,
                                                                 std::string_view protocol) const {
  for (const auto& nc : netflows_) {
    bool port_ok = nc->destination_port == destination_port || (destination_port == 80 && nc->destination_port == 443);
    if (nc->destination_ip == destination_ip && port_ok && nc->direction == direction &&
        nc->transport_layer_protocol == protocol)
      return nc;
  }
  return nullptr;
}

NetworkConnectionPtr Ontology::get_network_connection_by_network_http(const NetworkHTTPPtr& http) const {
  for (const auto& nc : netflows_)
    if (nc->http_details == http) return nc;
  return nullptr;
}

NetworkHTTPPtr Ontology::get_network_http_by_details(const std::string& request_uri, const std::string& request_method,
                                                     const json::Value& request_headers) const {
  for (const auto& h : http_netflows_)
    if (h->request_uri == request_uri && h->request_method == request_method &&
        py_equal(h->request_headers, request_headers))
      return h;
  return nullptr;
}

// --- signatures ---

SignaturePtr Ontology::create_signature(ObjectIDPtr objectid, std::string name, std::string type,
                                        std::string classification, std::optional<int64_t> score) const {
  if (!objectid || name.empty() || type.empty() || classification.empty()) return nullptr;
  if (type != "CUCKOO" && type != "YARA" && type != "SIGMA" && type != "SURICATA") return nullptr;
  auto s = std::make_shared<Signature>();
  s->objectid = std::move(objectid);
  s->name = std::move(name);
  s->type = std::move(type);
  s->classification = std::move(classification);
  s->score = score;
  return s;
}

AttributePtr Ontology::create_attribute(ObjectIDPtr source, Attribute fields) {
  if (!source) return nullptr;
  fields.source = std::move(source);
  return std::make_shared<Attribute>(std::move(fields));
}

// --- output ---

json::Value Ontology::as_primitives() const {
  json::Value o = json::Value::object();
  auto list = [](const auto& items) {
    json::Value a = json::Value::array();
    for (const auto& i : items) a.push_back(i->as_primitives());
    return a;
  };
  o["sandboxes"] = list(sandboxes_);
  o["signatures"] = list(signatures_);
  o["network_connections"] = list(netflows_);
  o["network_dns"] = list(dns_netflows_);
  o["network_http"] = list(http_netflows_);
  o["processes"] = list(processes_);
  return o;
}

}  // namespace alcape::analysis::ontology
