// What an emulated CAPE nest looks like and how it misbehaves: machines, API profile, auth, throttling,
// api.conf switches, task timings and injected faults. Loaded from YAML (format in docs/emulators.md).
#pragma once

#include "core/status.hpp"
#include "emulators/nest/report_variants.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace alcape::emulators::nest {

// Which CAPE generation to imitate (cape-api.md §1.9).
enum class Profile { k2025, k2026 };

struct Machine {
  std::string name;
  std::string label;  // empty: same as name
  std::string platform = "windows";
  std::string arch = "x64";
  std::string ip = "192.168.122.10";
  std::vector<std::string> tags;
  bool reserved = false;  // reserved machines are not listed and not counted
};

// The default machines: win10x64 (windows x64), win7x86 (windows x86), ub22x64 (linux x64), tagged by name.
std::vector<Machine> default_machines();

// Phase lengths of every task, in milliseconds (so tests run fast).
struct Durations {
  int64_t pending_ms = 100;     // status pending, no machine, guest {}
  int64_t starting_ms = 100;    // status running, guest "starting"
  int64_t running_ms = 200;     // status running, guest "running"
  int64_t processing_ms = 100;  // status completed, guest "stopping"
};

struct Token {
  std::string key;
  bool staff = false;         // never throttled; may delete with [taskdelete] off
  std::string rate = "5/m";   // DRF rate "N/s|m|h|d"; empty = unlimited
  // "" valid; "revoked" / "inactive": 401 with HEAD's ApiKeyAuthentication texts; "forbidden": 403 (DRF
  // PermissionDenied, as a user without the permission gets).
  std::string state;
};

// One injected fault. It applies to calls of `endpoint` ("any" for all), skipping the first `skip` matching
// calls, then to the next `times` calls (0 = all of them); with per_task the counting is per task id.
struct Fault {
  std::string endpoint = "any";
  std::string kind;
  int skip = 0;
  int times = 0;
  bool per_task = false;
  int64_t delay_ms = 0;           // delay, slow_report: silence before the answer
  int status = 500;               // http_status
  std::string message;            // error_200 text, failed_* task error text
  int64_t after_bytes = -1;       // reset: body bytes sent before the reset (-1: before the status line)
  double fraction = 0.5;          // truncated_zip: share of the zip sent
  int retry_after = 60;           // throttle: seconds
  std::string machine;            // machine_missing: the machine (empty: all)
  int64_t bomb_mb = 32;           // zip_bomb: uncompressed size of the bomb entry
  int64_t bytes_per_second = 0;   // slow_report: bandwidth (0: unlimited)
};

// The fault kinds understood (Fault::kind).
const std::vector<std::string>& fault_kinds();
// The endpoint names used for faults, switches and call counts.
const std::vector<std::string>& endpoint_names();

struct Scenario {
  Profile profile = Profile::k2025;
  bool multitenancy = false;                 // HEAD only: 404 "Task not found" for missing tasks
  // tasks/reboot/<id>/ is not part of CAPE's API (cape-api.md §2): a stock nest answers Django's 404 page. true
  // imitates a nest patched for the AL service: {"error": false, "task_id": <id>, "reboot_id": <new id>}.
  bool reboot_endpoint = false;
  std::string hostname = "cape-emulator";
  std::string api_url = "http://example.tld";  // [api] url, used in the create answer's "url" list
  std::vector<Machine> machines = default_machines();
  Durations durations;
  // api.conf switches by section name (filecreate, tasksearch, taskview, taskstatus, taskreport, taskdelete,
  // machinelist, machineview, cuckoostatus). Missing = enabled, i.e. a nest configured the way the AL service
  // README asks; `api_conf: cape_defaults` in YAML starts from CAPE's api.conf.default instead.
  std::map<std::string, bool> enabled;
  std::vector<Token> tokens;                 // empty: token auth off (CAPE default)
  int throttle_counters = 1;                 // >1: per-worker counters picked at random (uWSGI workers)
  // A submission whose SHA-256 has no recorded report gets the sample folder named here; empty: the task
  // fails (failed_processing, error "No recorded report for <sha256>").
  std::string fallback_sample;
  std::string host_down;                     // "" | "refuse" (port bound, not listening) | "close" (drop every connection)
  int64_t first_task_id = 1;
  // web.conf [general] max_sample_size: a larger upload is refused in create's `errors` (cape-api.md §2.4 step 4).
  int64_t max_sample_size = 30000000;
  // web.conf [general] enable_trim / allow_ignore_size (cape-api.md §2.4 step 4): an oversize upload is trimmed
  // (PE: cut at the end of the last section, as trim_utils.trim_pe) or, with allow_ignore_size and
  // `ignore_size_check` in the options field, accepted whole.
  bool enable_trim = false;
  bool allow_ignore_size = false;
  // Archive demux (§2.4 step 6): a ZIP without package and without `file=` in options becomes one task per member.
  bool demux = true;
  int64_t demux_files_limit = 10;  // web.conf [general] demux_files_limit
  // nginx client_max_body_size (CAPE's documented config: 101M): a larger request body gets nginx's 413 page
  // before Django sees it (cape-api.md §6 item 14). 0: no limit.
  int64_t max_upload_bytes = 0;
  // web.conf [uniq_submission]: `enabled` refuses a sha256 submitted within `hours` for every non-staff user, as
  // the create form's `unique` field does per call; hours 0 = ever.
  bool uniq_submission = false;
  int64_t uniq_submission_hours = 24;
  std::vector<Fault> faults;
  // Serve a deterministic variant of each recorded reports/lite.json in the lite zip (docs/emulators.md).
  ReportVariants report_variants;

  bool is_enabled(const std::string& section) const;

  static StatusOr<Scenario> from_yaml(const std::string& text);
  static StatusOr<Scenario> from_file(const std::string& path);
};

}  // namespace alcape::emulators::nest
