// The sandbox ontology: the reference's OntologyResults and its object classes (assemblyline_service_utilities
// common/dynamic_service_helper.py), with the same semantics:
//  * objects are shared, not copied, where the reference shares Python objects: a child's `pobjectid` IS its
//    parent's ObjectID, a signature attribute's `source` IS the process's ObjectID, a network connection's
//    `process` IS the ontology process, and `http_details`/`dns_details` are the objects of the http/dns lists.
//    Later changes (tree ids, time fixes) are therefore visible everywhere, as in the reference.
//  * "update" operations never overwrite a field that already has a value (update_object_items), except fields
//    holding the MIN/MAX time placeholders.
//  * as_primitives() gives each object's dict with the reference's key order.
// Where the reference raises (missing required values), the create_* functions return nullptr instead.
#pragma once

#include "analysis/ontology/ids.hpp"
#include "json/value.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace alcape::analysis::ontology {

// Placeholder times of the library (format_time(datetime.max/min, LOCAL_FMT_WITH_MS)).
inline constexpr std::string_view kMaxTime = "9999-12-31 23:59:59.999999";
inline constexpr std::string_view kMinTime = "0001-01-01 00:00:00.000000";

// --- objects ------------------------------------------------------------------------------------------------

struct ObjectID {
  std::string tag;
  std::string ontology_id;
  std::optional<std::string> service_name;
  std::optional<std::string> guid;
  std::optional<std::string> treeid;
  std::optional<std::string> processtree;
  std::optional<std::string> time_observed;
  std::optional<std::string> session;

  // {tag, ontology_id, service_name, guid, treeid, processtree, time_observed, session}
  json::Value as_primitives() const;
};
using ObjectIDPtr = std::shared_ptr<ObjectID>;

// Optional ObjectID fields for create_objectid (the reference's keyword arguments).
struct ObjectIDFields {
  std::optional<std::string> service_name;
  std::optional<std::string> guid;  // stored as given (not normalised), like create_objectid
  std::optional<std::string> treeid;
  std::optional<std::string> processtree;
  std::optional<std::string> time_observed;  // must be "%Y-%m-%d %H:%M:%S.%f", else the objectid is not created
  std::optional<std::string> session;
};

struct Process {
  ObjectIDPtr objectid;
  std::string image;
  std::optional<std::string> start_time;
  ObjectIDPtr pobjectid;  // the parent's ObjectID once linked (shared)
  std::optional<std::string> pimage;
  std::optional<std::string> pcommand_line;
  std::optional<int64_t> ppid;
  std::optional<int64_t> pid;
  std::optional<std::string> command_line;
  std::optional<std::string> end_time;
  std::optional<std::string> integrity_level;
  std::optional<std::string> image_hash;
  std::optional<std::string> original_file_name;
  std::optional<std::vector<std::string>> loaded_modules;
  std::optional<std::vector<std::string>> services_involved;

  // {objectid, image, start_time, pobjectid, pimage, pcommand_line, ppid, pid, command_line, end_time,
  //  integrity_level, image_hash, original_file_name, loaded_modules, services_involved}
  json::Value as_primitives() const;

  // Process.set_parent: pobjectid/pimage/ppid from the parent, pcommand_line only when unset.
  void set_parent(const std::shared_ptr<Process>& parent);
  // Process.create_objectid_tag: normalize_path(image); nullopt for an empty image.
  static std::optional<std::string> create_objectid_tag(std::string_view image);
};
using ProcessPtr = std::shared_ptr<Process>;

// The keyword arguments of create_process / update_process / NetworkConnection.update_process. Keys of the
// ObjectID (guid, ...) and of the parent ObjectID (pguid, ...) are not process attributes: update_process reads
// guid/pguid for lookups only. Empty strings count as absent (update_object_items skips them).
struct ProcessFields {
  std::optional<std::string> guid;
  std::optional<std::string> pguid;
  std::optional<std::string> image;
  std::optional<std::string> start_time;
  std::optional<std::string> end_time;
  std::optional<int64_t> pid;
  std::optional<int64_t> ppid;
  std::optional<std::string> command_line;
  std::optional<std::string> pimage;
  std::optional<std::string> pcommand_line;
  std::optional<std::string> integrity_level;
  std::optional<std::string> image_hash;
  std::optional<std::string> original_file_name;
  std::optional<std::vector<std::string>> loaded_modules;
  std::optional<std::vector<std::string>> services_involved;

  // The fields of a dict such as a parsed sysmon event ({"pid", "image", "guid", "pguid", "start_time", ...});
  // values of the wrong type and unknown keys are ignored.
  static ProcessFields from_json(const json::Value& dict);
  bool all_absent() const;
};

struct NetworkDNS {
  std::string domain;
  std::optional<std::vector<std::string>> resolved_ips;
  std::optional<std::vector<std::string>> resolved_domains;
  std::string lookup_type;

  // {domain, resolved_ips, resolved_domains, lookup_type}
  json::Value as_primitives() const;
};
using NetworkDNSPtr = std::shared_ptr<NetworkDNS>;

struct NetworkHTTP {
  std::string request_uri;
  std::string request_method;
  json::Value request_headers = json::Value::object();
  json::Value response_headers = json::Value::object();
  std::optional<std::string> request_body;
  std::optional<int64_t> response_status_code;
  std::optional<std::string> response_body;
  std::optional<std::string> request_body_path;
  std::optional<std::string> response_body_path;

  // {request_uri, request_method, request_headers, response_headers, request_body, response_status_code,
  //  response_body} (the body paths are not part of it)
  json::Value as_primitives() const;
};
using NetworkHTTPPtr = std::shared_ptr<NetworkHTTP>;

struct NetworkConnection {
  static constexpr std::string_view kOutbound = "outbound", kInbound = "inbound", kUnknown = "unknown";
  static constexpr std::string_view kTcp = "tcp", kUdp = "udp";
  static constexpr std::string_view kHttp = "http", kDns = "dns";

  ObjectIDPtr objectid;
  std::string destination_ip;
  int64_t destination_port = 0;
  std::string transport_layer_protocol;  // tcp | udp
  std::string direction;                 // outbound | inbound | unknown
  ProcessPtr process;                    // the ontology process (shared), or a pending one before add
  std::optional<std::string> source_ip;
  std::optional<int64_t> source_port;
  NetworkHTTPPtr http_details;
  NetworkDNSPtr dns_details;
  std::optional<std::string> connection_type;  // http | dns

  // {objectid, destination_ip, destination_port, transport_layer_protocol, direction, process, source_ip,
  //  source_port, http_details, dns_details, connection_type}
  json::Value as_primitives() const;

  void set_process(ProcessPtr p) { process = std::move(p); }
  // NetworkConnection.update_process: without a process, one is created only when objectid, image and
  // start_time are given; then the process is updated (never overwriting set fields).
  void update_process(const ProcessFields& fields, ObjectIDPtr objectid = nullptr);
  // NetworkConnection.update(http_details=..., connection_type=...): fills unset fields only.
  void update_details(NetworkHTTPPtr http, std::optional<std::string> type);
};
using NetworkConnectionPtr = std::shared_ptr<NetworkConnection>;

struct Attribute {
  ObjectIDPtr source;  // shared with the process
  ObjectIDPtr target;
  std::optional<std::string> action;
  std::optional<std::string> meta;
  std::optional<std::string> event_record_id;
  std::optional<std::string> domain;
  std::optional<std::string> uri;
  std::optional<std::string> file_hash;

  // {source, target, action, meta, event_record_id, domain, uri, file_hash}
  json::Value as_primitives() const;
};
using AttributePtr = std::shared_ptr<Attribute>;

struct Signature {
  ObjectIDPtr objectid;
  std::string name;
  std::string type;  // CUCKOO | YARA | SIGMA | SURICATA
  std::string classification;
  std::vector<AttributePtr> attributes;
  json::Value attacks = json::Value::array();  // [{"attack_id", "pattern", "categories"}]
  std::vector<std::string> actors;
  std::vector<std::string> malware_families;
  std::optional<int64_t> score;

  // {objectid, name, type, classification, attributes, attacks, actors, malware_families} (no score)
  json::Value as_primitives() const;

  // Signature.add_attack_id: revoked ids are replaced; unknown ids and duplicates are ignored.
  void add_attack_id(const std::string& attack_id);
  // Signature.add_attribute: skipped when an equal attribute (same primitives) is already there.
  void add_attribute(AttributePtr attribute);
  void set_malware_families(std::vector<std::string> families) { malware_families = std::move(families); }
};
using SignaturePtr = std::shared_ptr<Signature>;

struct MachineMetadata {
  std::optional<std::string> ip;
  std::optional<std::string> hypervisor;
  std::optional<std::string> hostname;
  std::optional<std::string> platform;
  std::optional<std::string> version;
  std::optional<std::string> architecture;

  // {ip, hypervisor, hostname, platform, version, architecture}
  json::Value as_primitives() const;
};

struct AnalysisMetadata {
  std::string start_time = std::string(kMinTime);
  std::optional<int64_t> task_id;
  std::string end_time = std::string(kMaxTime);
  std::optional<std::string> routing;
  std::optional<MachineMetadata> machine_metadata;

  // {start_time, task_id, end_time, routing, machine_metadata}
  json::Value as_primitives() const;
};

struct Sandbox {
  ObjectIDPtr objectid;
  AnalysisMetadata analysis_metadata;
  std::string sandbox_name;
  std::optional<std::string> sandbox_version;

  // {objectid, analysis_metadata, sandbox_name, sandbox_version}
  json::Value as_primitives() const;
  // Sandbox.update_machine_metadata: creates the metadata if needed, fills unset fields only.
  void update_machine_metadata(const MachineMetadata& values);
};
using SandboxPtr = std::shared_ptr<Sandbox>;

// --- the collection ---------------------------------------------------------------------------------------------

// A node of get_process_tree: the primitives of a process or network connection plus "children" (a list of
// nodes), with objectid.treeid / objectid.processtree filled in.
using ProcessTree = json::Value;  // list of root nodes

class Ontology {
 public:
  explicit Ontology(std::string service_name = "CAPE", uint64_t seed = 0x5eed0a1ca9eULL);

  const std::string& service_name() const { return service_name_; }

  // Random ids (the reference uses uuid4 / get_random_id; tests ignore them).
  std::string create_session();
  std::string random_guid();  // "{XXXXXXXX-XXXX-4XXX-YXXX-XXXXXXXXXXXX}", upper case

  // create_objectid(tag=, ontology_id=, ...): nullptr when tag or ontology_id is empty or time_observed has the
  // wrong format. service_name defaults to the ontology's.
  ObjectIDPtr create_objectid(std::string tag, std::string ontology_id, ObjectIDFields fields = {}) const;

  // Sandboxes
  SandboxPtr create_sandbox(ObjectIDPtr objectid, std::string sandbox_name, AnalysisMetadata analysis_metadata,
                            std::optional<std::string> sandbox_version) const;
  void add_sandbox(SandboxPtr sandbox) { sandboxes_.push_back(std::move(sandbox)); }
  const std::vector<SandboxPtr>& sandboxes() const { return sandboxes_; }
  // update_machine_metadata on the last sandbox (no-op without a sandbox).
  void update_machine_metadata(const MachineMetadata& values);

  // Processes
  // create_process(objectid=, image=, start_time=, ...): nullptr without objectid, image or start_time. Assigns a
  // random GUID when none, end_time MAX when none, time_observed = start_time when none.
  ProcessPtr create_process(ObjectIDPtr objectid, const ProcessFields& fields);
  // add_process: validated (GUID/PID uniqueness), indexed by GUID, linked to its parent and children.
  void add_process(const ProcessPtr& process);
  // update_process(**kwargs): by GUID (created when unknown), else by pid + end/start time.
  void update_process(const ProcessFields& fields);
  bool is_guid_in_gpm(std::string_view guid) const;
  ProcessPtr get_process_by_guid(const std::optional<std::string>& guid) const;
  ProcessPtr get_process_by_pid(std::optional<int64_t> pid) const;  // first process with that pid
  ProcessPtr get_process_by_pid_and_time(std::optional<int64_t> pid, const std::optional<std::string>& ts) const;
  std::optional<std::string> get_guid_by_pid_and_time(std::optional<int64_t> pid,
                                                      const std::optional<std::string>& ts) const;
  const std::vector<ProcessPtr>& processes() const { return processes_; }

  // Network
  // create_network_connection: nullptr without objectid, destination_ip, transport protocol or direction, or
  // with an invalid protocol/direction/connection type combination (the reference raises ValueError).
  NetworkConnectionPtr create_network_connection(NetworkConnection nc) const;
  // add_network_connection: re-points `process` to the ontology process with the same GUID (or pid + start
  // time); a process that cannot be found is dropped from the connection.
  void add_network_connection(const NetworkConnectionPtr& nc);
  // create_network_dns: nullptr without domain, lookup_type or any resolved list.
  NetworkDNSPtr create_network_dns(std::string domain, std::optional<std::vector<std::string>> resolved_ips,
                                   std::optional<std::vector<std::string>> resolved_domains,
                                   std::string lookup_type) const;
  void add_network_dns(NetworkDNSPtr dns) { dns_netflows_.push_back(std::move(dns)); }
  // create_network_http: nullptr without request_uri or request_method. Null header values become {}.
  NetworkHTTPPtr create_network_http(NetworkHTTP http) const;
  void add_network_http(NetworkHTTPPtr http) { http_netflows_.push_back(std::move(http)); }
  NetworkConnectionPtr get_network_connection_by_details(const std::string& destination_ip,
                                                         int64_t destination_port, std::string_view direction,
                                                         std::string_view transport_layer_protocol) const;
  NetworkConnectionPtr get_network_connection_by_network_http(const NetworkHTTPPtr& http) const;
  NetworkHTTPPtr get_network_http_by_details(const std::string& request_uri, const std::string& request_method,
                                             const json::Value& request_headers) const;
  const std::vector<NetworkConnectionPtr>& netflows() const { return netflows_; }
  const std::vector<NetworkDNSPtr>& dns_netflows() const { return dns_netflows_; }
  const std::vector<NetworkHTTPPtr>& http_netflows() const { return http_netflows_; }

  // Signatures
  SignaturePtr create_signature(ObjectIDPtr objectid, std::string name, std::string type, std::string classification,
                                std::optional<int64_t> score = std::nullopt) const;
  void add_signature(SignaturePtr s) { signatures_.push_back(std::move(s)); }
  const std::vector<SignaturePtr>& signatures() const { return signatures_; }
  // create_attribute(source=, ...): nullptr without source.
  static AttributePtr create_attribute(ObjectIDPtr source, Attribute fields = {});

  // get_process_tree(safelist, use_process_tree_inspection): the event tree (writing treeid/processtree back to
  // the objects that have none yet) and the tree-inspection signature names (flag_process_tree), in order.
  std::pair<ProcessTree, std::vector<std::string>> get_process_tree(const std::vector<std::string>& safelist,
                                                                    bool use_process_tree_inspection);
  // preprocess_ontology(safelist): removes safelisted (or tree-less) processes and what hangs on them, then
  // replaces MIN/MAX time placeholders with the sandbox times.
  void preprocess_ontology(const std::vector<std::string>& safelist);

  // {sandboxes, signatures, network_connections, network_dns, network_http, processes}
  json::Value as_primitives() const;

 private:
  bool validate_process(const Process& p) const;
  bool handle_pid_match(const Process& p) const;
  void set_parent_details(const ProcessPtr& p);
  void set_child_details(const ProcessPtr& p);
  void set_item_times(Process& p);
  void set_item_times(ObjectID& o);
  void update_objectid_tree(const std::string& guid, const std::string& treeid, const std::string& processtree,
                            const std::unordered_map<std::string, ObjectIDPtr>& netflow_by_guid);

  std::string service_name_;
  std::mt19937_64 rng_;
  std::vector<SandboxPtr> sandboxes_;
  std::vector<SignaturePtr> signatures_;
  std::vector<NetworkConnectionPtr> netflows_;
  std::vector<NetworkDNSPtr> dns_netflows_;
  std::vector<NetworkHTTPPtr> http_netflows_;
  std::vector<ProcessPtr> processes_;
  std::unordered_map<std::string, ProcessPtr> guid_process_map_;  // upper-case GUID -> process (_guid_process_map)
};

// flag_process_tree: the tree-inspection signature names for the roots of `tree` (§6.4).
std::vector<std::string> flag_process_tree(const ProcessTree& tree);

// The embedded SAFE_PROCESS_TREE_LEAF_HASHES tree ids plus the custom process-tree ids converted to tree ids
// (the reference's custom_tree_id_safelist).
std::vector<std::string> processtree_id_safelist(const std::vector<std::string>& custom_processtree_ids);

}  // namespace alcape::analysis::ontology
