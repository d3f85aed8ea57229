// `al-cape service [--task-handler]`: run as an Assemblyline service (native service-server protocol, or
// beside the stock task handler); `al-cape manifest`: print the generated service_manifest.yml.
#pragma once

#include <CLI/CLI.hpp>

namespace alcape::cli {

void register_service_command(CLI::App& app, int& exit_code);

}  // namespace alcape::cli
