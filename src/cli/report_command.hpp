// `al-cape report <lite.json | lite zip> [--params FILE] [--json] [--out DIR]`: runs the analysis on a CAPE
// report and prints the Assemblyline result (JSON) or a readable summary.
#pragma once

#include <CLI/CLI.hpp>

namespace alcape::cli {

void register_report_command(CLI::App& app, int& exit_code);

}  // namespace alcape::cli
