// Submission parameters + service config → the CAPE tasks/create/file form (reference-behaviour.md §3.3
// `_set_task_parameters`, §1.1 step 9, §1.2 step 1), plus the notices the reference adds as sections.
#pragma once

#include "config/service_config.hpp"
#include "planning/dll_exports.hpp"
#include "planning/victims.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace alcape::planning {

// A text section the planning step asks to show (title + body lines; no heuristic).
struct Notice {
  std::string title;
  std::vector<std::string> lines;
};

struct TaskInputs {
  std::string al_file_type;
  std::optional<PeInfo> pe;                   // parsed PE of the submitted file (DLL export selection)
  bool deep_scan = false;                     // Assemblyline request flag
  std::vector<std::string> archive_passwords;  // from temp_submission_data["passwords"]
  bool no_monitor_variant = false;            // the monitored_and_unmonitored "unmonitored" copy
};

struct TaskRequest {
  int timeout = 0;
  bool enforce_timeout = false;
  std::string options;  // comma-joined, no trailing comma (deviation: the reference always ends with ",")
  std::string clock;
  std::optional<std::string> package, route, tags, machine, platform;
  bool memory = false;
  std::vector<Notice> notices;  // "Executed Multiple DLL Exports", "CAPE Machinery Cannot Generate Memory Dumps."
  bool no_monitor = false;      // free=yes: title suffix " (with monitor disabled)"

  // Form fields in a stable order; booleans as Python's "True"/"False" like the reference.
  std::vector<std::pair<std::string, std::string>> form_fields() const;
};

TaskRequest build_task_request(const Target& target, const TaskInputs& inputs, const config::ServiceConfig& config,
                               const config::SubmissionParams& params);

// Monitor variants (§1.1 step 9): {false, true} when monitored_and_unmonitored and not no_monitor, else {false}.
std::vector<bool> monitor_variants(const config::SubmissionParams& params);

// "Invalid Analysis Timeout Requested" when the requested analysis timeout (×2 for reboot) does not fit in the
// service timeout; nullopt when fine. Deviation: the limit is the service timeout itself (the reference allows +60).
std::optional<Notice> invalid_timeout_notice(const config::SubmissionParams& params, int service_timeout_in_seconds,
                                             bool reboot = false);

}  // namespace alcape::planning
