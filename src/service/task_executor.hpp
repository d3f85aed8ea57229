// One task, transport-agnostic: the task JSON and the downloaded file in, a result or an error JSON out (plus
// the files the result references). Shared by the native runtime and the task-handler (FIFO) mode.
#pragma once

#include "config/service_config.hpp"
#include "json/value.hpp"
#include "pipeline/pipeline.hpp"
#include "service/result_builder.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

namespace alcape::service {

using PipelineFn = std::function<pipeline::Outcome(const pipeline::FileToAnalyse&, const config::ServiceConfig&,
                                                   const config::SubmissionParams&, const pipeline::RunOptions&)>;

// The effective service configuration: the manifest, then what the service server returned at registration.
struct ServiceSetup {
  config::ServiceConfig config;
  json::Value param_defaults = json::Value::object();  // name -> default (admin-edited when registered)
  int timeout_seconds = 800;                           // manifest `timeout`
  std::shared_ptr<const analysis::Safelist> safelist;  // null: built-in defaults
  ServiceIdentity identity;
  pipeline::Timing timing;                             // nest polling; shrunk by ALCAPE_NEST_POLL_MS in tests
};

// From a manifest-shaped object (`config`, `submission_params`, `timeout`): the base manifest, or the register
// answer's service_config. Keys absent keep what `base` had.
StatusOr<ServiceSetup> apply_service_config(ServiceSetup base, const json::Value& service_config);

// The own deadline: below the manifest timeout (the dispatcher kills the container at timeout + 5 s), leaving
// time for the uploads: timeout - clamp(timeout / 10, 2 s, 60 s).
std::chrono::seconds own_budget(int timeout_seconds);

struct TaskOutput {
  bool ok = false;
  json::Value payload;               // result (ok) or error JSON
  std::vector<FileToUpload> files;   // with ok: the files the result references
  std::string summary;               // for the log: score / error message
};

struct ExecuteOptions {
  std::chrono::steady_clock::time_point deadline;
  std::filesystem::path work_dir;                 // exists; the caller removes it
  const std::atomic<bool>* cancel = nullptr;
};

// `file` may be empty when the file could not be had (then the error is given by the caller instead).
TaskOutput execute_task(const json::Value& task, const std::filesystem::path& file, const ServiceSetup& setup,
                        const PipelineFn& pipeline, const ExecuteOptions& options);

// "[sid/sha256] " prefix of task log lines.
std::string task_prefix(const json::Value& task);

}  // namespace alcape::service
