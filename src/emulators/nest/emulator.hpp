// A CAPE nest on loopback for tests and demos: CAPE's REST APIv2 as cape-api.md describes it, tasks that move
// through CAPE's states on a (millisecond) timeline, recorded reports served as lite zips, and faults injected
// from a Scenario. Test-only introspection under /_emulator/ (outside /apiv2/).
//
//   emulators::nest::Options o;  o.samples_dir = ".../samples";  o.scenario = Scenario::from_yaml(y).value();
//   emulators::nest::Emulator emu(o);  emu.start("127.0.0.1", 0);  ... emu.port() ...  emu.stop();
#pragma once

#include "core/status.hpp"
#include "emulators/nest/scenario.hpp"
#include "json/value.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace alcape::emulators::nest {

struct Options {
  std::filesystem::path samples_dir;  // folders <sha256>/Report/ (+ the submitted file)
  Scenario scenario;
  bool allow_non_loopback = false;    // start() refuses other addresses unless set
};

// One API call as the emulator saw it (introspection).
struct CallRecord {
  std::string method;
  std::string path;       // without the query string
  std::string endpoint;   // one of endpoint_names(), "" for paths outside /apiv2/
  int status = 0;         // HTTP status answered (0: connection dropped)
  std::string fault;      // kind of the fault applied, if any
  int64_t task_id = -1;   // from the path, or the task created
  std::map<std::string, std::string> form;  // multipart form fields (not the file)
  std::string file_name;  // the uploaded file part's filename
  std::string file_sha256;
  uint64_t file_size = 0;
  std::string authorization;
};

class Emulator {
 public:
  explicit Emulator(Options options);
  ~Emulator();  // stops
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  // Binds and starts serving on a background thread. port 0 = ephemeral; see port().
  Status start(const std::string& host, int port);
  int port() const;
  std::string base_url() const;  // "http://127.0.0.1:<port>"
  // Stops serving; pending delays are cut short. Idempotent.
  void stop();
  std::vector<CallRecord> calls() const;
  // Calls to one endpoint name (endpoint_names()), optionally only those for one task id.
  size_t call_count(const std::string& endpoint, int64_t task_id = -1) const;
  json::Value tasks_json() const;  // same as GET /_emulator/tasks

  struct Impl;

 private:
  static json::Value calls_json_of(const Impl& impl);
  static json::Value tasks_json_of(const Impl& impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace alcape::emulators::nest
