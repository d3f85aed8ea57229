// The analysis core: a CAPE report and the parser parameters in, Assemblyline sections, the sandbox ontology and
// the Processes section data out. Pure: no file or network I/O, no clock, no randomness that changes output
// (random GUIDs/sessions of the ontology come from a seeded generator, see ontology/).
//
// Mirrors the reference's generate_al_result + preprocess_ontology (reference-behaviour.md §5, §6):
// stage order and section order are the reference's.
#pragma once

#include "analysis/params.hpp"
#include "json/value.hpp"
#include "report/model.hpp"
#include "report/reader.hpp"
#include "result/section.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace alcape::analysis {

struct AnalysisOutput {
  json::Value process_events = json::Value::object();  // the Processes (SANDBOX) data; Section.json
  json::Value ontology = json::Value::object();        // the dynamic ontology after preprocessing
  // Commands found in sysmon command lines, for the service's commands.ps1 / commands.bat artifacts.
  std::vector<std::string> powershell_commands, batch_commands;
  // CAPE payloads [{"sha256", "pid", "is_yara_hit"}] and the main processes, for the service's file handling.
  json::Value cape_artifact_pids = json::Value::array();
  std::vector<std::pair<int64_t, std::string>> main_process_tuples;
};

// Adds the analysis sections of `report` under `parent` (the task's "Analysis Environment Target" section, or the
// harness' "Parent") and returns the other outputs.
AnalysisOutput analyze_report(const report::Report& report, const ParserParams& params, result::Section& parent);

// Reader filters matching what analyze_report uses, so large reports are reduced while being read.
report::ReadOptions analysis_read_options();

}  // namespace alcape::analysis
