// An Assemblyline service-server emulator for tests and demos (assemblyline-contract.md §1.3, §9): the five
// endpoints of the 4.7 Rust server with its strict rules (required headers, `freshen` required, bodies must be
// strings, non-empty titles, nested tags, invalid tags dropped with a warning, missing-file loop, register
// compares only with the static key), plus the tag safelist. It queues tasks built from sample files and
// records what the service posts; GET /emulator/state shows it, POST /emulator/tasks queues more.
// Loopback only. Depends on core/data/httplib only: it must not share code with the service it tests.
#pragma once

#include "core/status.hpp"
#include "json/value.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace alcape::emulators::al {

struct AlEmulatorOptions {
  std::string host = "127.0.0.1";
  int port = 0;                                    // 0: an ephemeral port
  std::string api_key = "ThisIsARandomAuthKey...ChangeMe!";
  std::string registry_key;                        // a key allowed to register new versions (empty: none)
  std::string service_name = "CAPE";
  std::vector<std::string> registered_versions = {"4.7.0.dev0"};  // compare-only registration
  json::Value service_config_overrides = json::Value::object();  // merged into the register answer
  std::filesystem::path samples_dir;               // samples/<sha256>/<file name> (+ Report/, Results/ ignored)
  int max_long_poll_seconds = 30;
  std::string tls_cert, tls_key;                   // PEM files: serve https (tests of the AL root CA setting)
};

struct TaskSpec {
  std::filesystem::path file;       // its content is served at /api/v1/file/<sha256>/
  std::string filename;             // default: the file's name
  std::string type;                 // AL file type; default guessed from the extension
  json::Value service_config = json::Value::object();  // submission params given by the "user"
  bool serve_file = true;           // false: GET /file answers 404
  int ttl = 30;
  int max_files = 500;
};

class AlEmulator {
 public:
  explicit AlEmulator(AlEmulatorOptions options);
  ~AlEmulator();
  AlEmulator(const AlEmulator&) = delete;
  AlEmulator& operator=(const AlEmulator&) = delete;

  // Binds and serves on a background thread; returns the bound port.
  StatusOr<int> start();
  void stop();
  // Blocks serving on the calling thread after bind (for the CLI); returns when stop() is called.
  StatusOr<int> bind();
  void serve_forever();

  Status enqueue(const TaskSpec& spec);
  // {"results": [...], "errors": [...], "uploads": [...], "warnings": [...], "handed_out": n, "queued": n,
  //  "register_calls": [...], "bad_requests": [...]}
  json::Value state() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Flattens nested tags to "a.b.c" -> values, validating as the Rust server does; rejected entries are
// appended to `rejected` as "key=value". Exposed for unit tests.
json::Value validate_tags(const json::Value& tags, std::vector<std::string>& rejected);

}  // namespace alcape::emulators::al
