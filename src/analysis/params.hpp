// The parameters the service passes to the report parser (generate_al_result's arguments), loaded from the
// `--params` YAML of `al-cape report` or built by the service from its config and the submission.
#pragma once

#include "analysis/tagging/safelist.hpp"
#include "json/value.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace alcape::analysis {

struct ParserParams {
  std::string routing = "none";                      // submission parameter `routing`
  std::string random_ip_range = "192.0.2.0/24";      // service config `random_ip_range` (INetSim range)
  std::vector<std::string> inetsim_dns_servers;      // used only when routing is inetsim
  bool uses_https_proxy_in_sandbox = false;
  std::vector<std::string> suspicious_accepted_languages;
  std::vector<std::string> custom_processtree_id_safelist;  // "a|b|c" process-tree ids, converted to tree ids
  std::string file_ext;                              // shown in "Sample Did Not Execute"
  std::string timezone = "UTC";                      // local time zone of the reference's time conversions
  std::shared_ptr<const Safelist> safelist = std::make_shared<Safelist>();
  json::Value machine_info;                          // {"Name", "Manager", "Platform", "IP", "Tags"} or null
  json::Value signature_map = json::Value::object(); // YARA rule -> {"source", ...} (file.rule tags)
};

// Loads the YAML parameter file (keys as in tests/data/samples/harness-params.yaml). Relative safelist paths
// are resolved against the file's folder. Throws std::runtime_error with the key and the problem.
ParserParams load_params_yaml(const std::string& path);

// Defaults of the reference manifest, with the system safelist (data/system_safelist.yaml) and Assemblyline's
// default tag safelist (data/tag_safelist_default.yml).
ParserParams default_params();

}  // namespace alcape::analysis
