// One analysis target of a file (one CAPE task, one top-level "Analysis Environment Target" section):
// host choice, cache or submission, polling, report download, extraction, analysis, artifacts, deletion
// (reference-behaviour.md §1.2, §1.3).
#pragma once

#include "nest/client.hpp"
#include "pipeline/pipeline.hpp"
#include "planning/pe.hpp"
#include "planning/task_params.hpp"
#include "planning/victims.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace alcape::pipeline {

// What every target of a run shares.
struct RunContext {
  const FileToAnalyse* file = nullptr;
  const config::ServiceConfig* config = nullptr;
  const config::SubmissionParams* params = nullptr;
  const RunOptions* options = nullptr;
  std::string submission_name;  // the name sent to CAPE
  std::optional<planning::PeInfo> pe;  // the export table of a DLL (read once for every target)
  std::string routing;          // effective routing
  json::Value machines = json::Value::array();  // per host index: machines/list data (for machine_info)
  std::shared_ptr<std::atomic<int>> calls;
  std::mutex progress_mu;
  std::vector<int64_t> task_ids;  // for the progress line
};

struct TargetOutcome {
  std::unique_ptr<result::Section> section;  // the top-level section, filled
  // Top-level sections the target added after its own, in order: "Reboot Analysis -> ...", "Resubmit -> ...".
  std::vector<std::unique_ptr<result::Section>> extra_sections;
  std::vector<Artifact> extracted, supplementary;
  std::vector<json::Value> ontologies;  // one per analysed report (first task, reboot, resubmission)
  std::vector<json::Value> process_events;  // likewise: the Processes section data of each analysed report
  std::vector<std::string> hollowshunter_dumps;  // artifact names for the run's "Sandbox Artifacts" section
  std::optional<Error> error;
  std::optional<Disposition> failure;
};

TargetOutcome run_target(RunContext& ctx, const planning::Target& target, bool no_monitor_variant,
                         std::unique_ptr<result::Section> section);

nest::ClientOptions client_options(const RunContext& ctx, std::chrono::steady_clock::time_point deadline);

}  // namespace alcape::pipeline
