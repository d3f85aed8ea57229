// What most pipeline tests set up: one nest (an emulator on loopback) as the only host, the default submission
// parameters pinned to its win10x64 machine, and run options with millisecond polls and backoff.
#pragma once

#include "config/service_config.hpp"
#include "pipeline/pipeline.hpp"

#include <chrono>
#include <filesystem>

namespace alcape::testing {

inline config::ServiceConfig config_with_nest(int port) {
  config::ServiceConfig c = config::default_config();
  config::Host h;
  h.port = port;
  h.internet_connected = h.inetsim_connected = true;
  c.hosts = {h};
  return c;
}

inline config::SubmissionParams win10x64_params() {
  auto params = config::default_submission_params();
  params["specific_machine"] = "win10x64";
  return params;
}

inline pipeline::RunOptions fast_run_options(const std::filesystem::path& work_dir,
                                             std::chrono::milliseconds poll = std::chrono::milliseconds(10),
                                             std::chrono::seconds deadline = std::chrono::seconds(60)) {
  pipeline::RunOptions o;
  o.deadline = std::chrono::steady_clock::now() + deadline;
  o.work_dir = work_dir;
  o.timing.pending_poll = o.timing.running_poll = o.timing.processing_poll = poll;
  o.timing.backoff_base = poll;
  o.timing.backoff_max = 5 * poll;
  return o;
}

}  // namespace alcape::testing
