// `al-cape nest --listen 127.0.0.1:PORT --samples DIR [--scenario FILE] [--allow-non-loopback]`: runs the CAPE
// nest emulator until SIGTERM/SIGINT. Prints "listening on http://127.0.0.1:<port>" once ready.
#pragma once

#include <CLI/CLI.hpp>

namespace alcape::cli {

void register_nest_command(CLI::App& app, int& exit_code);

}  // namespace alcape::cli
