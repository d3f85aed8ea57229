// `al-cape service`: the stock task handler's job done in-process (assemblyline-contract.md §1.3-§1.6):
// register, apply the returned service config, long-poll for tasks, download, analyse, post the result, upload
// what the server is missing, re-post; errors posted as FAIL_RECOVERABLE / FAIL_NONRECOVERABLE.
#pragma once

#include "json/value.hpp"
#include "service/server_client.hpp"
#include "service/task_executor.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>

namespace alcape::service {

struct NativeOptions {
  ServerSettings server;
  json::Value manifest;                 // registered as is (JSON of service_manifest.yml, version substituted)
  ServiceSetup setup;                   // from the manifest; updated from the register answer
  PipelineFn pipeline;
  bool register_only = false;           // REGISTER_ONLY=true
  std::optional<long> task_limit;       // AL_SERVICE_TASK_LIMIT
  std::filesystem::path work_root;      // per-task scratch directories go below it
  std::chrono::milliseconds shutdown_grace{20000};  // after SIGTERM, the current task may run this much longer
  bool fetch_safelist = true;
};

// Runs until `stop` is set (SIGTERM), the task limit is reached, or registration says not to stay.
// Returns the process exit code (0 on every orderly end).
int run_native(NativeOptions options, const std::atomic<bool>& stop);

// The system safelist combined with the service server's answer (null answer: the built-in defaults).
std::shared_ptr<const analysis::Safelist> make_safelist(const json::Value* al_safelist);

}  // namespace alcape::service
