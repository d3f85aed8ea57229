#include "cli/al_emulator_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/listen_address.hpp"
#include "core/loopback.hpp"
#include "emulators/al/al_server.hpp"

#include <iostream>

namespace alcape::cli {
namespace {

struct EmulatorFlags {
  std::string listen = "127.0.0.1:0";
  std::string samples;
  std::vector<std::string> versions;
  std::string registry_key;
  std::string service_config;  // JSON merged into the register answer
  int max_long_poll = 30;
  std::string tls_cert, tls_key;
  bool allow_non_loopback = false;
};

int run_emulator(const EmulatorFlags& f) {
  emulators::al::AlEmulatorOptions o;
  auto address = parse_listen_address(f.listen);
  if (!address.ok()) {
    std::cerr << "al-cape al-emulator: " << address.error().message << "\n";
    return kExitUsage;
  }
  if (!f.allow_non_loopback && !is_loopback_host(address->host)) {
    std::cerr << "al-cape al-emulator: refusing to listen on a non-loopback address (" << f.listen
              << "); --allow-non-loopback to insist\n";
    return kExitUsage;
  }
  o.host = address->host;
  o.port = address->port;
  o.samples_dir = f.samples;
  if (!f.versions.empty()) o.registered_versions = f.versions;
  o.registry_key = f.registry_key;
  o.max_long_poll_seconds = f.max_long_poll;
  o.tls_cert = f.tls_cert;
  o.tls_key = f.tls_key;
  if (!f.service_config.empty()) {
    o.service_config_overrides = json::Value::parse(f.service_config, nullptr, false);
    if (!o.service_config_overrides.is_object()) {
      std::cerr << "al-cape: --service-config is not a JSON object\n";
      return kExitUsage;
    }
  }
  const sigset_t signals = block_stop_signals();
  emulators::al::AlEmulator emulator(o);
  auto port = emulator.start();
  if (!port.ok()) {
    std::cerr << "al-cape al-emulator: " << port.error().describe() << "\n";
    return exit_code_for(port.error().code);
  }
  std::cout << "listening on " << (o.tls_cert.empty() ? "http" : "https") << "://" << o.host << ":" << *port << std::endl;
  wait_for_stop_signal(signals);
  emulator.stop();
  return kExitOk;
}

}  // namespace

void register_al_emulator_command(CLI::App& app, int& exit_code) {
  auto f = std::make_shared<EmulatorFlags>();
  CLI::App* cmd = app.add_subcommand("al-emulator", "Run an Assemblyline service-server emulator (tests, demos)");
  cmd->add_option("--listen", f->listen, "HOST:PORT to bind (port 0: any free port)");
  cmd->add_option("--samples", f->samples, "Queue a task per file in DIR/<sha256>/");
  cmd->add_option("--registered-version", f->versions, "Versions registered (compare-only registration)");
  cmd->add_option("--registry-key", f->registry_key, "An API key allowed to register new versions");
  cmd->add_option("--service-config", f->service_config, "JSON merged into the register answer's service_config");
  cmd->add_option("--max-long-poll", f->max_long_poll, "Cap of the Timeout header of GET /task/ (seconds)");
  cmd->add_option("--tls-cert", f->tls_cert, "PEM certificate: serve https");
  cmd->add_option("--tls-key", f->tls_key, "PEM private key of --tls-cert");
  cmd->add_flag("--allow-non-loopback", f->allow_non_loopback, "listen on an address other than loopback");
  cmd->callback([f, &exit_code] { exit_code = run_emulator(*f); });
}

}  // namespace alcape::cli
