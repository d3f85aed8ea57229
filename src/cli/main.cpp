// al-cape: the command-line entry point. Thin: each subcommand parses its options and calls the libraries.
#include "cli/exit_codes.hpp"
#include "cli/nest_command.hpp"
#include "cli/analyze_command.hpp"
#include "cli/report_command.hpp"
#include "cli/service_command.hpp"
#include "cli/al_emulator_command.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"al-cape: an Assemblyline 4 service for the CAPEv2 sandbox"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "al-cape 0.1.0");
  // Usage errors on one line, like every other error (the subcommands inherit this).
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return std::string("al-cape: ") + e.what() + " (see --help)\n";
  });
  int exit_code = alcape::cli::kExitOk;
  alcape::cli::register_report_command(app, exit_code);
  alcape::cli::register_service_command(app, exit_code);
  alcape::cli::register_al_emulator_command(app, exit_code);
  alcape::cli::register_nest_command(app, exit_code);
  alcape::cli::register_analyze_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return alcape::cli::kExitUsage;
  }
  return exit_code;
}
