#include "cli/nest_command.hpp"

#include "cli/exit_codes.hpp"
#include "emulators/nest/emulator.hpp"

#include <csignal>
#include <iostream>
#include <memory>
#include <pthread.h>

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
  const auto colon = o.listen.rfind(':');
  if (colon == std::string::npos) {
    print_error("--listen must be HOST:PORT, not '" + o.listen + "'");
    return kExitUsage;
  }
  std::string host = o.listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = -1;
  try {
    port = std::stoi(o.listen.substr(colon + 1));
  } catch (...) {
  }
  if (port < 0 || port > 65535) {
    print_error("invalid port in --listen '" + o.listen + "'");
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

  // SIGTERM/SIGINT are taken synchronously by this thread; the server threads inherit the blocked mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  emulators::nest::Emulator emu(std::move(options));
  if (auto st = emu.start(host, port); !st.ok()) {
    print_error(st.error().describe());
    return st.error().code == ErrorCode::kInvalidParams ? kExitUsage : exit_code_for(st.error().code);
  }
  std::cout << "listening on " << emu.base_url() << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
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
