// The state shared by the analysis stages of one report. The intermediate data keep the shapes of the
// reference's intermediate dicts (reference-behaviour.md §5.3-§5.6), as JSON values in insertion order, because
// the output depends on those shapes (row order, dict order, which optional keys exist). Each field names the
// reference function that produces it. Integer dict keys of the reference (pids) are decimal strings here.
#pragma once

#include "analysis/ontology/ontology.hpp"
#include "analysis/params.hpp"
#include "json/value.hpp"
#include "report/model.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace alcape::analysis {

struct AnalysisContext {
  AnalysisContext(const report::Report& r, const ParserParams& p) : report(r), params(p) {}

  const report::Report& report;
  const ParserParams& params;
  ontology::Ontology ontology;

  // get_process_map: {"<pid>": {"name", "image", "ppid", "start_time", "command_line", "network_calls": [...],
  // "crypto_buffers", "loaded_modules", "services_events", "drivers_events", "registry_events", "file_events",
  // "misc_events", "hooking_events", "process_events", "interprocess_comm"}}, in behavior.processes order.
  json::Value process_map = json::Value::object();

  // process_sysmon: {"<pid>" or "<pid>--><guid>": [event dicts with "event_id"]}; null when the report has no
  // sysmon events (the reference's parsed_sysmon = None).
  json::Value parsed_sysmon;

  // process_behavior: (pid, name) of the main processes.
  std::vector<std::pair<int64_t, std::string>> main_process_tuples;

  // get_network_map (all null when the report has no network section, as in the reference):
  json::Value dns_servers;      // ["<ip>", ...]
  json::Value dns_requests;     // {"<request>": [attempt dicts]}
  json::Value low_level_flows;  // [flow dicts]: udp then tcp
  json::Value http_calls;       // [http call dicts]

  // process_signatures: the filtered signature dicts; null when the report has no signatures.
  json::Value signatures;

  // load_ontology_and_result_section: {"signatures", "network_connections", "processes",
  // "analysis_information"} — the data behind the Processes (SANDBOX) section, Section.json in the samples.
  json::Value process_events = json::Value::object();

  // process_cape: [{"sha256", "pid", "is_yara_hit"}] for the service's artifact naming and filtering.
  json::Value cape_artifact_pids = json::Value::array();
};

}  // namespace alcape::analysis
