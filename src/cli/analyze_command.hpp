// `al-cape analyze FILE [--config service.yaml] [--param name=value ...] [--file-type T] [--out DIR] [--json]`:
// the service's whole flow on one file without Assemblyline: submit to the configured CAPE nest(s), wait, analyse
// the report, print the summary (or the result JSON), and with --out write result.json and every extracted and
// supplementary file. Only the configured nests are used: there is no fallback to the emulator.
#pragma once

#include <CLI/CLI.hpp>

namespace alcape::cli {

void register_analyze_command(CLI::App& app, int& exit_code);

}  // namespace alcape::cli
