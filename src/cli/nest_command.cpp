#include "cli/nest_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/listen_address.hpp"
#include "emulators/nest/emulator.hpp"

#include <csignal>
#include <iostream>
#include <memory>

namespace alcape::cli {
namespace {

struct NestOptions {
  std::string listen = "127.0.0.1:0";
  std::string samples;
  std::string scenario;
  bool allow_non_loopback = false;
};

void print_error(const std::string& message) { std::cerr << "al-cape nest: " << message << "\n"; }

int run(const NestOptions& o) {
  auto address = parse_listen_address(o.listen);
  if (!address.ok()) {
    print_error(address.error().message);
    return kExitUsage;
  }
  emulators::nest::Options options;
  options.samples_dir = o.samples;
  options.allow_non_loopback = o.allow_non_loopback;
  if (!o.scenario.empty()) {
    auto sc = emulators::nest::Scenario::from_file(o.scenario);
    if (!sc.ok()) {
      print_error(sc.error().describe());
      return exit_code_for(sc.error().code);
    }
    options.scenario = std::move(sc.value());
  }

  const sigset_t signals = block_stop_signals();

  emulators::nest::Emulator emu(std::move(options));
  if (auto st = emu.start(address->host, address->port); !st.ok()) {
    print_error(st.error().describe());
    return st.error().code == ErrorCode::kInvalidParams ? kExitUsage : exit_code_for(st.error().code);
  }
  std::cout << "listening on " << emu.base_url() << std::endl;
  wait_for_stop_signal(signals);
  emu.stop();
  return kExitOk;
}

}  // namespace

void register_nest_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<NestOptions>();
  CLI::App* cmd = app.add_subcommand("nest", "Run the built-in CAPE nest emulator (REST APIv2) on loopback");
  cmd->add_option("--listen", opts->listen, "HOST:PORT to listen on (PORT 0: ephemeral)")->capture_default_str();
  cmd->add_option("--samples", opts->samples, "folder of <sha256>/Report/ sample folders")->required();
  cmd->add_option("--scenario", opts->scenario, "YAML scenario: machines, profile, auth, faults (docs/emulators.md)");
  cmd->add_flag("--allow-non-loopback", opts->allow_non_loopback, "allow listening on a non-loopback address");
  cmd->callback([opts, &exit_code] { exit_code = run(*opts); });
}

}  // namespace alcape::cli
