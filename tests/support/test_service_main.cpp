// al-cape-test-service: `al-cape service` with the stand-in analysis of fake_pipeline.hpp, for the protocol
// end-to-end tests (tests/e2e/service_e2e.py). Same service code as the production binary; only the analysis
// differs. ALCAPE_FAKE_DELAY_MS sets the simulated analysis time.
#include "cli/service_command.hpp"
#include "support/fake_pipeline.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  CLI::App app{"al-cape-test-service: al-cape service with a stand-in analysis (tests only)"};
  app.require_subcommand(1);
  int exit_code = 0;
  alcape::cli::register_service_command(app, exit_code, [] {
    const char* d = std::getenv("ALCAPE_FAKE_DELAY_MS");
    long ms = d && *d ? std::strtol(d, nullptr, 10) : 0;
    return alcape::test_support::make_fake_pipeline(std::chrono::milliseconds(ms));
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return exit_code;
}
