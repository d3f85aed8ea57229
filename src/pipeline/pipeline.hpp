// One file in, one Assemblyline result out: the whole flow the service runs for a task (reference-behaviour.md
// §1): plan the victims, submit to the nest(s), wait, fetch each lite report zip, analyse it, collect extracted
// and supplementary files. Used by `al-cape analyze` and by the Assemblyline service runtime alike.
#pragma once

#include "analysis/tagging/safelist.hpp"
#include "artifacts/artifact.hpp"
#include "config/service_config.hpp"
#include "core/error_policy.hpp"
#include "core/status.hpp"
#include "json/value.hpp"
#include "result/section.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace alcape::pipeline {

struct FileToAnalyse {
  std::filesystem::path path;  // the file's content on disk
  std::string sha256;          // lower-case hex
  std::string name;            // the submitted file name (as Assemblyline knows it)
  std::string file_type;       // Assemblyline type, e.g. "executable/windows/pe32"
};

// A file for Assemblyline: extracted (analysed again) or supplementary (kept for the analyst).
using Artifact = artifacts::Artifact;

// What the user sees while waiting (al-cape analyze's progress line).
struct Progress {
  std::string host;
  std::vector<int64_t> task_ids;
  std::string status;  // CAPE status: pending, running, completed, reported, ...
  std::chrono::seconds elapsed{0};
  std::chrono::seconds deadline{0};
};

// Waits of the nest client, in milliseconds so tests run fast; the defaults are for real nests.
struct Timing {
  std::chrono::milliseconds pending_poll{5000};      // task pending / guest starting
  std::chrono::milliseconds running_poll{15000};     // analysis running
  std::chrono::milliseconds processing_poll{10000};  // completed: processing and reporting
  int missing_polls = 6;                             // "Task not found" right after create: transient this often
  std::chrono::milliseconds backoff_base{2000};      // first retry wait of a failed call (doubles, with jitter)
  std::chrono::milliseconds backoff_max{30000};
  // Time kept after the report wait for download, analysis and upload: min(report_reserve, 25 % of the budget).
  std::chrono::milliseconds report_reserve{120000};
};

struct RunOptions {
  std::chrono::steady_clock::time_point deadline;  // everything, including the analysis, must end before this
  std::filesystem::path work_dir;                  // downloads and artifacts go here; the caller removes it
  std::function<void(const Progress&)> on_progress;  // may be empty
  std::shared_ptr<const analysis::Safelist> safelist;  // system + AL tag safelist; null: the built-in defaults
  const std::atomic<bool>* cancel = nullptr;           // set on SIGTERM: stop waiting, end with kCancelled
  Timing timing;
  bool deep_scan = false;                              // Assemblyline's deep scan flag
  std::vector<std::string> archive_passwords;          // temp_submission_data["passwords"]
  std::function<void(const char* level, const std::string& text)> log;  // may be empty
};

struct Outcome {
  // kRecoverable / kNonRecoverable (never kRetryCall) when the task failed; nullopt on success.
  std::optional<Disposition> failure;
  std::optional<Error> error;  // set when failure is set, and for a partial result's error section
  // The result tree: top-level sections are the children of this untitled root (as in result_json.hpp).
  std::unique_ptr<result::Section> root = std::make_unique<result::Section>("");
  json::Value ontology = json::Value::object();
  // The Processes (SANDBOX) section data of every analysed report, in target then task order (first task,
  // reboot, resubmission), as analysis::AnalysisOutput::process_events: for the summary's process tree. Kept per
  // report, not merged, because pids of two tasks are unrelated.
  std::vector<json::Value> process_events;
  std::vector<Artifact> extracted;
  std::vector<Artifact> supplementary;
  int cape_api_calls = 0;  // every HTTP request made to the nests, for tests and logs

  bool ok() const { return !failure.has_value(); }
};

Outcome run(const FileToAnalyse& file, const config::ServiceConfig& config,
            const config::SubmissionParams& params, const RunOptions& options);

}  // namespace alcape::pipeline
