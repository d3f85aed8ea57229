// `al-cape service [--task-handler]`: run as an Assemblyline service (native service-server protocol, or
// beside the stock task handler); `al-cape manifest`: print the generated service_manifest.yml.
#pragma once

#include "service/task_executor.hpp"

#include <CLI/CLI.hpp>

#include <functional>

namespace alcape::cli {

// Builds the analysis the service runs for each task. Production: none given, pipeline::run. The protocol tests
// substitute a stand-in (tests/support/fake_pipeline, binary al-cape-test-service) so that the production binary
// carries no test double.
using PipelineFactory = std::function<service::PipelineFn()>;

void register_service_command(CLI::App& app, int& exit_code, PipelineFactory make_pipeline = {});

}  // namespace alcape::cli
