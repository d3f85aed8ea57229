// `al-cape al-emulator --listen 127.0.0.1:0 --samples DIR`: an Assemblyline service-server emulator for tests
// and demos (src/emulators/al).
#pragma once

#include <CLI/CLI.hpp>

namespace alcape::cli {

void register_al_emulator_command(CLI::App& app, int& exit_code);

}  // namespace alcape::cli
