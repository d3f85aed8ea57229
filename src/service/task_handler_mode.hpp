// `al-cape service --task-handler`: the service side of the stock task handler's FIFO protocol
// (assemblyline_service_client.task_handler, assemblyline-contract.md §1.2), for operators who run al-cape
// beside the stock Python task handler: runtime manifest, task and done FIFOs, ready file, task JSON in,
// result/error JSON out, manifest re-read after the handshake, EOF = shutdown.
#pragma once

#include "service/task_executor.hpp"

#include <atomic>
#include <filesystem>
#include <string>

namespace alcape::service {

struct TaskHandlerOptions {
  std::string runtime_prefix = "service";       // RUNTIME_PREFIX
  std::filesystem::path fifo_dir = "/tmp";      // the stock handler hard-codes /tmp for FIFOs, manifest, ready
  std::filesystem::path tasking_dir = "/tmp";   // TASKING_DIR: task/result/error JSON, working directories
  std::string manifest_yaml;                    // written to <fifo_dir>/<prefix>_manifest.yml when absent
  std::string service_tag;                      // SERVICE_TAG for $SERVICE_TAG
  ServiceSetup setup;                           // identity etc.; config re-read from the manifest file
  PipelineFn pipeline;
};

// Returns the exit code: 0 after EOF on the task FIFO (the handler closed it) or SIGTERM.
int run_task_handler_mode(TaskHandlerOptions options, const std::atomic<bool>& stop);

}  // namespace alcape::service
