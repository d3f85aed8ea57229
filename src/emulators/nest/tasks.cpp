// Task timeline and the dicts CAPE's models produce (Task.to_dict, Sample, Machine), per profile.
#include "emulators/nest/internal.hpp"

#include <ctime>

namespace alcape::emulators::nest {

using std::chrono::milliseconds;

Emulator::Impl::Impl(Options o) : opt(std::move(o)), sc(opt.scenario) {
  next_task_id = sc.first_task_id;
  fault_counts.assign(sc.faults.size(), 0);
}

json::Value Emulator::Impl::success_error() const {
  return sc.profile == Profile::k2025 ? json::Value(false) : json::Value::array();
}

std::string Emulator::Impl::format_time(std::chrono::system_clock::time_point t) const {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

Phase Emulator::Impl::phase(const Task& t, Clock::time_point now) const {
  const auto& d = sc.durations;
  const int64_t e = std::chrono::duration_cast<milliseconds>(now - t.added).count();
  const int64_t started = d.pending_ms, running = started + d.starting_ms, analysed = running + d.running_ms,
                processed = analysed + d.processing_ms;
  if (e < started) return {"pending", "", false, false};
  if (t.outcome == Outcome::kBanned) return {"banned", "", false, false};
  if (t.outcome == Outcome::kRecovered) return {"recovered", "", false, false};
  // No machine has the platform/tags: the scheduler fails it (fail_unserviceable = on), errors stay empty.
  if (t.outcome == Outcome::kUnserviceable) return {"failed_analysis", "", false, false};
  if (e < running) return {"running", "starting", true, false};
  if (e < analysed) return {"running", "running", true, false};
  if (t.outcome == Outcome::kFailedAnalysis) return {"failed_analysis", "failed", true, true};
  if (e < processed) return {"completed", "stopping", true, true};
  if (t.outcome == Outcome::kFailedProcessing) return {"failed_processing", "stopping", true, true};
  if (t.outcome == Outcome::kFailedReporting) return {"failed_reporting", "stopping", true, true};
  return {"reported", "stopping", true, true};
}

std::vector<size_t> Emulator::Impl::visible_machines(const ActiveFaults& faults) const {
  std::vector<size_t> out;
  for (size_t i = 0; i < sc.machines.size(); ++i) {
    bool hidden = false;
    for (const Fault* f : faults)
      if (f->kind == "machine_missing" && (f->machine.empty() || f->machine == sc.machines[i].name ||
                                           f->machine == sc.machines[i].label))
        hidden = true;
    if (!hidden) out.push_back(i);
  }
  return out;
}

json::Value Emulator::Impl::machine_dict(size_t i) const {
  const Machine& m = sc.machines[i];
  bool locked = false;
  const auto now = Clock::now();
  for (const auto& [id, t] : tasks) {
    if (t.deleted || t.machine != static_cast<int>(i)) continue;
    if (phase(t, now).status == "running") locked = true;
  }
  json::Value d = json::Value::object();
  d["id"] = i + 1;
  d["name"] = m.name;
  d["label"] = m.label;
  d["arch"] = m.arch;
  d["ip"] = m.ip;
  d["platform"] = m.platform;
  d["interface"] = "virbr1";
  d["snapshot"] = nullptr;
  d["locked"] = locked;
  d["locked_changed_on"] = nullptr;
  d["status"] = locked ? "running" : "poweroff";
  d["status_changed_on"] = nullptr;
  d["resultserver_ip"] = "192.168.122.1";
  d["resultserver_port"] = "2042";
  d["reserved"] = m.reserved;
  d["tags"] = m.tags;
  return d;
}

json::Value Emulator::Impl::sample_dict(const Task& t) const {
  json::Value s = json::Value::object();
  s["id"] = t.sample_id;
  s["file_size"] = t.file_size;
  s["file_type"] = t.file_type;
  s["md5"] = t.hashes.md5;
  s["crc32"] = t.hashes.crc32;
  s["sha1"] = t.hashes.sha1;
  s["sha256"] = t.hashes.sha256;
  s["sha512"] = t.hashes.sha512;
  s["ssdeep"] = nullptr;
  if (sc.profile == Profile::k2025) s["parent"] = nullptr;
  s["source_url"] = nullptr;
  return s;
}

json::Value Emulator::Impl::task_dict(const Task& t, Clock::time_point now, bool details) const {
  const Phase p = phase(t, now);
  const auto& d = sc.durations;
  const auto started_on = t.added_wall + milliseconds(d.pending_ms);
  const auto completed_on = t.added_wall + milliseconds(d.pending_ms + d.starting_ms + d.running_ms);
  const Machine* m = (p.has_machine && t.machine >= 0) ? &sc.machines[t.machine] : nullptr;
  auto str_or_null = [](bool has, const std::string& v) { return has ? json::Value(v) : json::Value(nullptr); };

  json::Value o = json::Value::object();
  o["id"] = t.id;
  o["target"] = t.target;
  o["category"] = "file";
  o["cape"] = t.cape;
  o["timeout"] = t.timeout;
  o["priority"] = t.priority;
  // reschedule() overwrites custom with the pointer to the new task.
  o["custom"] = (t.recovery_id > 0 && p.status == "recovered") ? "Recovery_" + std::to_string(t.recovery_id) : t.custom;
  o["machine"] = m ? json::Value(m->name) : json::Value(nullptr);
  o["package"] = t.package;
  o["route"] = str_or_null(t.has_route, t.route);
  o["tags_tasks"] = str_or_null(t.has_tags_tasks, t.tags_tasks);
  o["options"] = t.options;
  o["platform"] = t.platform;
  o["memory"] = t.memory;
  o["enforce_timeout"] = t.enforce_timeout;
  o["clock"] = t.clock;
  o["added_on"] = format_time(t.added_wall);
  o["started_on"] = p.has_machine ? json::Value(format_time(started_on)) : json::Value(nullptr);
  o["completed_on"] = p.completed ? json::Value(format_time(completed_on)) : json::Value(nullptr);
  o["status"] = p.status;
  for (const char* k : {"dropped_files", "running_processes", "api_calls", "domains", "signatures_total",
                        "signatures_alert", "files_written", "registry_keys_modified", "crash_issues", "anti_issues",
                        "analysis_started_on", "analysis_finished_on", "processing_started_on",
                        "processing_finished_on", "signatures_started_on", "signatures_finished_on",
                        "reporting_started_on", "reporting_finished_on"})
    o[k] = nullptr;
  o["timedout"] = false;
  o["sample_id"] = t.sample_id;
  o["machine_id"] = m ? json::Value(t.machine + 1) : json::Value(nullptr);
  if (sc.profile == Profile::k2025) {
    for (const char* k : {"shrike_url", "shrike_refer", "shrike_msg", "shrike_sid", "parent_id"}) o[k] = nullptr;
  }
  o["tlp"] = str_or_null(t.has_tlp, t.tlp);
  o["user_id"] = 0;
  if (sc.profile == Profile::k2025) o["username"] = "0";
  o["tags"] = t.tags;
  if (details) {
    json::Value g = json::Value::object();
    if (m && !p.guest.empty()) {
      g["id"] = t.id;
      g["status"] = p.guest;
      g["name"] = m->name;
      g["label"] = m->label;
      g["platform"] = m->platform;
      g["manager"] = "KVM";
      g["started_on"] = format_time(started_on);
      g["shutdown_on"] = p.completed ? json::Value(format_time(completed_on)) : json::Value(nullptr);
      g["task_id"] = t.id;
    }
    o["guest"] = g;
    json::Value errors = json::Value::array();
    if ((p.status == "failed_analysis" && t.outcome == Outcome::kFailedAnalysis) ||
        p.status == "failed_processing" || p.status == "failed_reporting")
      if (!t.error_message.empty()) errors.push_back(t.error_message);
    o["errors"] = errors;
    o["sample"] = sample_dict(t);
  } else if (sc.profile == Profile::k2026) {
    o["sample"] = sample_dict(t);  // HEAD's search items carry the sample
  }
  return o;
}

}  // namespace alcape::emulators::nest
