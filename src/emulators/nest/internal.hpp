// Emulator internals shared by emulator.cpp (server, routing, auth, throttling, faults), views.cpp (the CAPE
// views) and tasks.cpp (task timeline and CAPE's task/sample/machine dicts). Not a public header.
#pragma once

#include "emulators/nest/emulator.hpp"
#include "emulators/nest/samples.hpp"

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>

namespace alcape::emulators::nest {

using Clock = std::chrono::steady_clock;

enum class Outcome {
  kReported, kFailedAnalysis, kFailedProcessing, kFailedReporting, kUnserviceable,
  kBanned,     // pending -> banned (tasking.py:ban_user_tasks)
  kRecovered,  // pending -> recovered: rescheduled as task recovery_id (tasking.py:reschedule)
};

struct Task {
  int64_t id = 0;
  std::string target;  // the uploaded file's basename
  std::filesystem::path sample_dir;  // empty: no recorded report
  FileHashes hashes;
  uint64_t file_size = 0;
  std::string file_type;
  int64_t sample_id = 0;
  std::map<std::string, std::string> form;  // every form field as sent
  // Parsed as CAPE parses them (cape-api.md §2.4).
  std::string package, options, custom, route, tlp, clock, tags_tasks, platform, cape;
  bool has_route = false, has_tlp = false, has_tags_tasks = false;
  int64_t timeout = 0, priority = 1;
  bool memory = false, enforce_timeout = false;
  std::vector<std::string> tags;
  int machine = -1;  // index into the machines; -1: none can serve it
  Outcome outcome = Outcome::kReported;
  std::string error_message;  // for failed_* outcomes
  Clock::time_point added;
  std::chrono::system_clock::time_point added_wall;
  bool deleted = false;
  int views = 0, report_downloads = 0;
  int64_t recovery_id = 0;  // kRecovered: the task it was rescheduled as (custom "Recovery_<N>")
};

// The state of a task at a moment of its timeline.
struct Phase {
  std::string status;       // CAPE task status
  std::string guest;        // "" (no guest yet), starting, running, stopping, failed
  bool has_machine = false;
  bool completed = false;   // completed_on set
};

// A fault that applies to the call being handled.
using ActiveFaults = std::vector<const Fault*>;

struct Emulator::Impl {
  explicit Impl(Options o);

  Options opt;
  const Scenario& sc;
  SampleIndex samples;

  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  int bound_port = -1;
  int refuse_fd = -1;
  std::string host;

  mutable std::mutex mu;  // guards everything below
  std::condition_variable stop_cv;
  bool stopping = false;
  std::map<int64_t, Task> tasks;
  int64_t next_task_id = 1;
  std::map<std::string, int64_t> sample_ids;
  std::vector<CallRecord> calls;
  std::vector<int> fault_counts;
  std::map<std::pair<size_t, int64_t>, int> fault_task_counts;
  std::map<std::string, std::vector<std::deque<Clock::time_point>>> throttle_history;
  std::mt19937 rng{12345};

  // emulator.cpp
  void handle(const httplib::Request& req, httplib::Response& res);
  bool sleep_ms(int64_t ms);  // false when stopping

  // tasks.cpp (callers hold mu)
  Phase phase(const Task& t, Clock::time_point now) const;
  json::Value task_dict(const Task& t, Clock::time_point now, bool details) const;
  json::Value sample_dict(const Task& t) const;
  json::Value machine_dict(size_t index) const;
  std::vector<size_t> visible_machines(const ActiveFaults& faults) const;
  json::Value success_error() const;  // false (2025) or [] (2026)
  std::string format_time(std::chrono::system_clock::time_point t) const;
};

// views.cpp: one CAPE view; fills res. `groups` are the route's captures.
struct ViewContext {
  Emulator::Impl& impl;
  const httplib::Request& req;
  httplib::Response& res;
  const std::vector<std::string>& groups;
  const ActiveFaults& faults;
  bool staff = false;
  const std::function<int()>& conn_fd;  // the request's socket (found on first use: a /proc/self/fd scan)
  CallRecord& record;
};

void view_cuckoo_status(ViewContext& c);
void view_machines_list(ViewContext& c);
void view_machines_view(ViewContext& c);
void view_tasks_search(ViewContext& c);
void view_tasks_create_file(ViewContext& c);
void view_tasks_view(ViewContext& c);
void view_tasks_status(ViewContext& c);
void view_tasks_report(ViewContext& c);
void view_tasks_delete(ViewContext& c);
void view_tasks_reboot(ViewContext& c);

// Helpers shared by the views.
void set_json(httplib::Response& res, const json::Value& body, int status = 200, const std::string& allow = "GET, OPTIONS");
json::Value error_body(const std::string& message);
const Fault* find_fault(const ActiveFaults& faults, const std::string& kind);

}  // namespace alcape::emulators::nest
