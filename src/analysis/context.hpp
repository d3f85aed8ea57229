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

  // get_process_map (stages/process_map.cpp): {"<pid>": {"name", "image", "ppid", "start_time", "command_line",
  // "network_calls", "crypto_buffers", "loaded_modules", "services_events", "drivers_events", "registry_events",
  // "file_events", "misc_events", "hooking_events", "process_events", "interprocess_comm"}}, in
  // behavior.processes order (a repeated pid replaces the entry in place). Keys: decimal pid; processes whose
  // process_id is not an integer are left out. name/image/ppid/command_line are the report's process_name,
  // module_path, parent_id and environ.CommandLine values as they are (any JSON type; null when missing).
  // start_time: "%Y-%m-%d %H:%M:%S.mmm" local time for an epoch first_seen, CAPE's string with "," -> "." for a
  // string, else null. Each bucket is a list of distinct events {"event", "object", "api", "arguments":
  // {<display name>: <raw value>}, "source": "API"} (data/api_calls.yaml); Hooking/Unhooking events sit in
  // loaded_modules (with "Identifier"/"Handle" arguments, no "DLLName"/"FunctionName").
  json::Value process_map = json::Value::object();

  // process_sysmon (stages/sysmon.cpp): {"<pid>" or "<pid>--><guid>": [events]}, null when the report has no
  // sysmon events (the reference's None; an empty result may also be {}: consumers treat both alike). Events, in
  // report order (newest first):
  //  * EventID 1/5: {"safelisted": bool, then in field order any of "start_time" (EventID 5: MIN_TIME
  //    "1-01-01 00:00:00.000000"), "end_time" (5 only), "pguid", "guid", "ppid" (int), "pid" (int), "pimage",
  //    "image", "pcommand_line", "command_line", "original_file_name", "integrity_level", "image_hash",
  //    then "event_id"}; always with truthy pid, guid, image and start_time. guid/pguid/pimage/... are the
  //    report's #text values (strings, or null/other types). "safelisted" keeps the reference's quirk (true only
  //    when the safelisted CommandLine/Image was the event's last field).
  //  * EventID 3: {"src", "dst" (IPv4), "time", "dport", "sport", "guid", "pid", "image", "event_id": 3}.
  //  * EventID 22: {"request", "answers": [{"data", "type"}], "first_seen", "guid", "pid", "image",
  //    "event_id": 22}.
  //  EventID 3/22 events only join an existing group of their pid (or "<pid>--><guid>").
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
