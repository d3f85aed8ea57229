// The service configuration (the manifest's `config:` keys, possibly edited by the Assemblyline admin) and the
// submission parameters of one task (the manifest's `submission_params`), typed, with the defaults of
// data/service_manifest.base.yml (the one source of truth for names and defaults).
#pragma once

#include "core/status.hpp"
#include "json/value.hpp"

#include <string>
#include <vector>

namespace alcape::config {

// One CAPE nest ("remote_host_details.hosts[]").
struct Host {
  std::string ip = "127.0.0.1";
  int port = 8000;
  std::string token;
  bool internet_connected = false;
  bool inetsim_connected = false;
  // Beyond the reference: "https://nest:8443" overrides ip/port; TLS is verified unless verify_tls is false.
  std::string base_url;
  bool verify_tls = true;
  std::string ca_bundle;  // PEM file of the CA that signed the nest's certificate

  std::string api_root() const;  // "http://ip:port/apiv2/" or base_url + "/apiv2/"
  std::string label() const;     // "ip:port" (or the base URL), for messages
};

struct ServiceConfig {
  std::vector<Host> hosts;
  int connection_timeout_in_seconds = 30;
  int rest_timeout_in_seconds = 120;
  int connection_attempts = 3;
  bool enforce_routing = false;
  std::vector<std::string> routing_list = {"none", "inetsim", "drop", "internet", "tor", "vpn"};
  bool uwsgi_with_recycle = false;
  std::vector<std::string> allowed_images;
  bool multi_routing_hosts = false;
  json::Value auto_architecture = json::Value::object();  // {"win": {"x64": [...], "x86": [...]}, "ub": {...}}
  int default_analysis_timeout_in_seconds = 150;
  int max_dll_exports_exec = 5;
  bool machinery_supports_memory_dumps = false;
  bool reboot_supported = false;
  bool extract_cape_dumps = false;
  bool uses_https_proxy_in_sandbox = false;
  std::vector<std::string> suspicious_accepted_languages;
  int recursion_limit = 10000;
  std::string random_ip_range = "192.0.2.0/24";
  std::vector<std::string> inetsim_dns_servers;
  std::string token_key = "Token";
  bool retry_on_no_machine = false;
  bool limit_monitor_apis = false;
  bool use_antivm_packages = false;
  bool use_process_tree_inspection = false;
  std::vector<std::string> custom_processtree_id_safelist;
  int update_period = 24;
  std::string round_robin_type = "default";  // "default" (fewest pending) or "available_machines"
  bool delete_cape_runs = true;

  // The manifest `timeout` (seconds): the dispatcher kills the service at timeout + 5 s.
  int service_timeout_in_seconds = 800;
};

// The manifest defaults (data/service_manifest.base.yml).
ServiceConfig default_config();

// `config` is the manifest-shaped `config` dict (from a YAML file or the service server's service_config):
// keys present override the defaults; unknown keys are ignored; a key of the wrong type is an error naming it.
StatusOr<ServiceConfig> parse_config(const json::Value& config);

// Loads a YAML file whose top level is the `config` dict (or a whole manifest with a `config:` key).
StatusOr<ServiceConfig> load_config_file(const std::string& path);

// Submission parameters: name -> value (bool / int / string), always complete: every manifest parameter is
// present, with its default when not given.
using SubmissionParams = json::Value;

SubmissionParams default_submission_params();

// Applies `name=value` given on the command line or by Assemblyline (value converted by the parameter's
// manifest type; a `list` parameter must be one of its list values); unknown names and bad values are errors.
Status apply_param(SubmissionParams& params, const std::string& name, const std::string& value);

// Merges a task's `service_config` dict (AL sends submission params there) over the defaults.
StatusOr<SubmissionParams> parse_submission_params(const json::Value& given);

}  // namespace alcape::config
