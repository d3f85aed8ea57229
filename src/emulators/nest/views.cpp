// The CAPE APIv2 views the service calls, answering as web/apiv2/views.py does (cape-api.md §2).
#include "emulators/nest/internal.hpp"

#include "core/ascii.hpp"
#include "emulators/nest/pages.hpp"
#include "emulators/nest/report_zip.hpp"
#include "emulators/nest/socket_faults.hpp"
#include "emulators/nest/upload.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>

namespace alcape::emulators::nest {

namespace fs = std::filesystem;

void set_json(httplib::Response& res, const json::Value& body, int status, const std::string& allow) {
  res.status = status;
  res.set_header("Allow", allow);
  res.set_header("Vary", "Accept");
  res.set_content(body.dump(-1, ' ', false, json::Value::error_handler_t::replace), "application/json");
}

json::Value error_body(const std::string& message) {
  json::Value b = json::Value::object();
  b["error"] = true;
  b["error_value"] = message;
  return b;
}

const Fault* find_fault(const ActiveFaults& faults, const std::string& kind) {
  for (const Fault* f : faults)
    if (f->kind == kind) return f;
  return nullptr;
}

namespace {


std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// web_utils.force_int: int(value), anything else 0.
int64_t force_int(const std::string& v) {
  const std::string t = trim(v);
  if (t.empty()) return 0;
  char* end = nullptr;
  long long n = std::strtoll(t.c_str(), &end, 10);
  return (end && *end == '\0') ? n : 0;
}

// web_utils.force_bool: true/yes/on/1 -> true; everything else false.
bool force_bool(const std::string& v) {
  const std::string l = ascii_lower(trim(v));
  return l == "true" || l == "yes" || l == "on" || l == "1";
}

std::string field(const std::map<std::string, std::string>& form, const std::string& k, bool* has = nullptr) {
  auto it = form.find(k);
  if (has) *has = it != form.end();
  return it == form.end() ? std::string() : it->second;
}

bool task_lookup_missing(ViewContext& c, Task*& out, int64_t id) {
  auto it = c.impl.tasks.find(id);
  out = (it == c.impl.tasks.end() || it->second.deleted) ? nullptr : &it->second;
  return out == nullptr;
}

// A recovered task whose custom is "Recovery_<N>" is answered with task N (views.tasks_view, validate_task);
// without a task N it stays itself.
static Task* follow_recovery(Emulator::Impl& impl, Task* t) {
  if (!t || t->recovery_id <= 0 || impl.phase(*t, Clock::now()).status != "recovered") return t;
  auto it = impl.tasks.find(t->recovery_id);
  return (it == impl.tasks.end() || it->second.deleted) ? t : &it->second;
}

// web_utils.validate_task: the gate of the report and delete views.
std::string validate_task(const Emulator::Impl& impl, const Task* t, const std::string& status) {
  static const std::set<std::string> kAll = {"pending", "running", "completed", "reported", "recovered",
                                             "failed_analysis", "failed_processing", "failed_reporting",
                                             "distributed", "banned"};
  if (!t) return "Task does not exist";
  const std::string cur = impl.phase(*t, Clock::now()).status;
  if (!status.empty() && !kAll.count(status)) return "Specified wrong task status";
  if (!status.empty() && status == cur) return "";
  if (cur == "failed_analysis" || cur == "failed_processing" || cur == "failed_reporting") return "Task failed";
  if (cur != "reported") return "Task is still being analyzed";
  return "";
}

// "%m-%d-%Y %H:%M:%S" -> "%Y-%m-%d %H:%M:%S"; "1970" or invalid -> now (tasking.py:add).
std::string parse_clock(const Emulator::Impl& impl, const std::string& v, std::chrono::system_clock::time_point now) {
  std::tm tm{};
  if (!v.empty() && v.find("1970") == std::string::npos) {
    const char* end = strptime(v.c_str(), "%m-%d-%Y %H:%M:%S", &tm);
    if (end && *end == '\0') {
      char buf[32];
      std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
      return buf;
    }
  }
  return impl.format_time(now);
}

std::string file_type_of(const std::string& data) {
  if (data.rfind("MZ", 0) == 0) return "MS-DOS executable";
  if (data.rfind("\x7f" "ELF", 0) == 0) return "ELF executable";
  if (data.rfind("PK\x03\x04", 0) == 0) return "Zip archive data";
  return "data";
}

std::vector<std::string> split_tags(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    std::string t = trim(s.substr(start, comma - start));
    if (!t.empty()) out.push_back(t);
    start = comma + 1;
  }
  return out;
}

// Streams a file (the built zip) with the report faults: truncation, bandwidth, reset after N bytes.
void stream_file(ViewContext& c, const fs::path& path, const std::string& content_type, const std::string& filename) {
  std::error_code ec;
  uint64_t size = fs::file_size(path, ec);
  if (const Fault* f = find_fault(c.faults, "truncated_zip")) size = static_cast<uint64_t>(size * f->fraction);
  int64_t bps = 0, reset_after = -1;
  if (const Fault* f = find_fault(c.faults, "slow_report")) bps = f->bytes_per_second;
  if (const Fault* f = find_fault(c.faults, "reset"); f && f->after_bytes >= 0) reset_after = f->after_bytes;
  auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
  Emulator::Impl* impl = &c.impl;
  const int fd = reset_after >= 0 ? c.conn_fd() : -1;
  c.res.status = 200;
  c.res.set_header("Content-Disposition", "attachment; filename=" + filename);
  c.res.set_content_provider(
      size, content_type,
      [in, impl, bps, reset_after, fd](size_t offset, size_t length, httplib::DataSink& sink) {
        size_t chunk = std::min<size_t>(length, 64 * 1024);
        if (bps > 0) chunk = std::min<size_t>(chunk, std::max<int64_t>(1, bps / 10));
        if (reset_after >= 0) {
          if (offset >= static_cast<size_t>(reset_after)) {
            reset_connection(fd);
            return false;
          }
          chunk = std::min<size_t>(chunk, reset_after - offset);
        }
        std::string buf(chunk, '\0');
        in->seekg(static_cast<std::streamoff>(offset));
        in->read(buf.data(), static_cast<std::streamsize>(chunk));
        if (in->gcount() <= 0) return false;
        if (!sink.write(buf.data(), static_cast<size_t>(in->gcount()))) return false;
        if (bps > 0 && !impl->sleep_ms(std::max<int64_t>(1, static_cast<int64_t>(chunk) * 1000 / bps))) return false;
        return true;
      },
      [path](bool) {
        std::error_code e;
        fs::remove(path, e);
      });
}

}  // namespace

void view_cuckoo_status(ViewContext& c) {
  auto& impl = c.impl;
  if (!impl.sc.is_enabled("cuckoostatus")) return set_json(c.res, error_body("Cuckoo Status API is disabled"));
  const auto now = Clock::now();
  std::map<std::string, int> counts;
  int total = 0;
  for (const auto& [id, t] : impl.tasks) {
    if (t.deleted) continue;
    ++counts[impl.phase(t, now).status];
    ++total;
  }
  auto machines = impl.visible_machines(c.faults);
  int listed = 0, busy = 0;
  for (size_t i : machines) {
    if (impl.sc.machines[i].reserved) continue;
    ++listed;
    if (impl.machine_dict(i)["locked"].get<bool>()) ++busy;
  }
  json::Value b = json::Value::object();
  b["error"] = impl.success_error();
  json::Value& d = b["data"];
  d["version"] = impl.sc.profile == Profile::k2025 ? "2.4-CAPE" : "2.5";
  d["hostname"] = impl.sc.hostname;
  d["machines"] = {{"total", listed}, {"available", listed - busy}};
  d["tasks"] = {{"total", total},
                {"pending", counts["pending"]},
                {"running", counts["running"]},
                {"completed", counts["completed"]},
                {"reported", counts["reported"]}};
  d["server"] = {{"storage", {{"free", 77}, {"total", 251}, {"used", 18}, {"used_by", "19.4%"}}},
                 {"ram", {{"free", 20}, {"total", 23}, {"used", 0}}}};
  set_json(c.res, b);
}

void view_machines_list(ViewContext& c) {
  auto& impl = c.impl;
  if (!impl.sc.is_enabled("machinelist")) return set_json(c.res, error_body("Machine list API is disabled"));
  json::Value b = json::Value::object();
  b["data"] = json::Value::array();
  for (size_t i : impl.visible_machines(c.faults))
    if (!impl.sc.machines[i].reserved) b["data"].push_back(impl.machine_dict(i));
  b["error"] = impl.success_error();
  set_json(c.res, b);
}

void view_machines_view(ViewContext& c) {
  auto& impl = c.impl;
  if (!impl.sc.is_enabled("machineview")) return set_json(c.res, error_body("Machine view API is disabled"));
  for (size_t i : impl.visible_machines(c.faults)) {
    if (impl.sc.machines[i].name != c.groups[0]) continue;
    json::Value b = json::Value::object();
    b["data"] = impl.machine_dict(i);
    b["error"] = impl.success_error();
    return set_json(c.res, b);
  }
  set_json(c.res, error_body("Machine not found"));
}

void view_tasks_search(ViewContext& c) {
  auto& impl = c.impl;
  if (!impl.sc.is_enabled("tasksearch")) return set_json(c.res, error_body("Task Search API is Disabled"));
  const std::string& algo = c.groups[0];
  const std::string& hash = c.groups[1];  // exact match: upper case finds nothing, as in CAPE
  json::Value items = json::Value::array();
  const auto now = Clock::now();
  for (auto it = impl.tasks.rbegin(); it != impl.tasks.rend(); ++it) {  // newest first
    const Task& t = it->second;
    if (t.deleted) continue;
    const std::string& h = algo == "md5" ? t.hashes.md5 : algo == "sha1" ? t.hashes.sha1 : t.hashes.sha256;
    if (h == hash) items.push_back(impl.task_dict(t, now, false));
  }
  json::Value b = json::Value::object();
  if (items.empty()) {
    b["data"] = items;
    b["error"] = impl.success_error();
  } else {
    b["error"] = impl.success_error();
    b["data"] = items;
  }
  set_json(c.res, b);
}

void view_tasks_create_file(ViewContext& c) {
  auto& impl = c.impl;
  const std::string allow = "POST, OPTIONS";
  if (!impl.sc.is_enabled("filecreate")) return set_json(c.res, error_body("File Create API is Disabled"), 200, allow);
  const httplib::MultipartFormData* file = nullptr;
  for (const auto& [name, part] : c.req.files)
    if (name == "file" && !part.filename.empty() && !file) file = &part;
  if (!file) return set_json(c.res, error_body("No file was submitted"), 200, allow);
  const auto& form = c.record.form;

  // Machine validation (views.tasks_create_file).
  const auto visible = impl.visible_machines(c.faults);
  const std::string machine = field(form, "machine");
  int machine_index = -1;
  if (ascii_lower(machine) == "all") return set_json(c.res, error_body("Machine=all is disabled using the API"), 200, allow);
  if (!machine.empty()) {
    std::string available;
    for (size_t i : visible) {
      if (impl.sc.machines[i].label == machine) machine_index = static_cast<int>(i);
      available += (available.empty() ? "" : ", ") + impl.sc.machines[i].label;
    }
    if (machine_index < 0)
      return set_json(c.res, error_body("Machine '" + machine + "' does not exist. Available: " + available), 200, allow);
  }

  const std::string name = fs::path(file->filename).filename().string();
  auto add_error = [&](const json::Value& err) {
    json::Value b = error_body("Error adding task to database");
    json::Value e = json::Value::object();
    e[name] = err;
    b["errors"] = json::Value::array({e});
    set_json(c.res, b, 200, allow);
  };
  if (file->content.empty()) return add_error("You uploaded an empty file.");
  // Then the size and the duplicate check (web_utils.process_new_task_files), before the tags.
  // (process_new_task_files reads the options field itself, before lin_options replaces it.)
  if (auto too_big = upload_size_error(impl.sc, file->content.size(), field(form, "options")))
    return add_error(*too_big);
  if (!c.staff && (impl.sc.uniq_submission || force_bool(field(form, "unique")))) {
    const std::string& sha256 = c.record.file_sha256;  // handle() hashed this same part
    const auto since = Clock::now() - std::chrono::hours(impl.sc.uniq_submission_hours);
    for (const auto& [id, old] : impl.tasks)  // deleted tasks are gone from CAPE's database
      if (!old.deleted && old.hashes.sha256 == sha256 && (impl.sc.uniq_submission_hours <= 0 || old.added >= since))
        return add_error("Duplicated file, disable unique option on submit or in conf/web.conf to force submission");
  }

  // Tags are checked against every VM's tags (web_utils.download_file).
  const std::string tags_raw = field(form, "tags");
  const auto tags = split_tags(tags_raw);
  if (!tags_raw.empty()) {
    std::vector<std::string> all;
    for (size_t i : visible)
      for (const auto& t : impl.sc.machines[i].tags)
        if (std::find(all.begin(), all.end(), t) == all.end()) all.push_back(t);
    bool ok = true;
    for (const auto& t : tags) ok = ok && std::find(all.begin(), all.end(), t) != all.end();
    if (!ok) {
      std::string supported;
      for (const auto& t : all) supported += (supported.empty() ? "" : ",") + t;
      return add_error(json::Value{{"error", "Check Tags help, you have introduced incorrect tag(s). Your tags: " +
                                                 tags_raw + " - Supported tags: " + supported}});
    }
    if (tags_raw.find("x64") != std::string::npos && tags_raw.find("x86") != std::string::npos)
      return add_error(json::Value{
          {"error", "Check Tags help, you have introduced x86 and x64 tags for the same task, choose only 1"}});
  }

  // Size rules and archive demux (demux.py): the files that become tasks, and the `errors` entries.
  std::string options = field(form, "options");
  if (form.count("lin_options")) options = field(form, "lin_options");  // replaces options (Linux)
  const PreparedUpload upload = prepare_upload(impl.sc, name, file->content, field(form, "package"), options);
  if (upload.files.empty()) {
    json::Value b = error_body("Error adding task to database");
    b["errors"] = upload.errors;
    return set_json(c.res, b, 200, allow);
  }

  // The fault outcome is decided once per call: every task of the call gets it.
  const Fault* f_analysis = find_fault(c.faults, "failed_analysis");
  const Fault* f_processing = find_fault(c.faults, "failed_processing");
  const Fault* f_reporting = find_fault(c.faults, "failed_reporting");
  std::vector<int64_t> ids;
  for (const UploadFile& file_in : upload.files) {
    Task t;
    t.id = impl.next_task_id++;
    t.target = file_in.name;
    t.hashes = file_in.hashes;
    t.file_size = file_in.size;
    t.file_type = file_type_of(file_in.head);
    auto [sid, inserted] = impl.sample_ids.emplace(t.hashes.sha256, static_cast<int64_t>(impl.sample_ids.size() + 1));
    t.sample_id = sid->second;
    t.form = form;
    t.package = field(form, "package");
    t.options = options;
    t.custom = field(form, "custom");
    t.cape = field(form, "cape");
    t.route = field(form, "route", &t.has_route);
    t.tlp = field(form, "tlp", &t.has_tlp);
    if (impl.sc.profile == Profile::k2026) t.tlp = ascii_lower(t.tlp);
    t.tags_tasks = field(form, "tags_tasks", &t.has_tags_tasks);
    t.timeout = force_int(field(form, "timeout"));
    t.priority = force_int(field(form, "priority"));
    if (t.priority == 0) t.priority = 1;
    t.memory = force_bool(field(form, "memory"));
    t.enforce_timeout = force_bool(field(form, "enforce_timeout"));
    t.tags = tags;
    t.added = Clock::now();
    t.added_wall = std::chrono::system_clock::now();
    t.clock = parse_clock(impl, field(form, "clock"), t.added_wall);
    // dynamic_platform_determination: the platform follows the file when it is recognisable.
    t.platform = field(form, "platform");
    if (t.file_type == "MS-DOS executable") t.platform = "windows";
    else if (t.file_type == "ELF executable") t.platform = "linux";
    else if (t.platform.empty()) t.platform = "windows";

    // The machine the scheduler would pick: the requested one, else the first with the platform and all tags.
    t.machine = machine_index;
    if (t.machine < 0) {
      for (size_t i : visible) {
        const Machine& m = impl.sc.machines[i];
        if (m.reserved || m.platform != t.platform) continue;
        bool has_all = true;
        for (const auto& tag : t.tags)
          has_all = has_all && std::find(m.tags.begin(), m.tags.end(), tag) != m.tags.end();
        if (has_all) {
          t.machine = static_cast<int>(i);
          break;
        }
      }
    }
    if (t.machine < 0) t.outcome = Outcome::kUnserviceable;

    t.sample_dir = impl.samples.find(t.hashes.sha256);
    if (t.sample_dir.empty() && !impl.sc.fallback_sample.empty())
      t.sample_dir = impl.samples.find(impl.sc.fallback_sample);
    bool recovered = false;
    if (t.outcome != Outcome::kUnserviceable) {
      if (find_fault(c.faults, "banned")) {
        t.outcome = Outcome::kBanned;
      } else if (find_fault(c.faults, "recovered")) {
        recovered = true;
      } else if (f_analysis) {
        t.outcome = Outcome::kFailedAnalysis;
        t.error_message = f_analysis->message.empty() ? "Analysis failed: machine not found" : f_analysis->message;
      } else if (f_processing) {
        t.outcome = Outcome::kFailedProcessing;
        t.error_message = f_processing->message;
      } else if (f_reporting) {
        t.outcome = Outcome::kFailedReporting;
        t.error_message = f_reporting->message;
      } else if (t.sample_dir.empty()) {
        t.outcome = Outcome::kFailedProcessing;
        t.error_message = "No recorded report for " + t.hashes.sha256;
      }
    }
    const int64_t id = t.id;
    if (ids.empty()) c.record.task_id = id;  // the first task of the call
    if (recovered) {
      // Rescheduled when it would have started: a new task with the same file and fields, on its own timeline.
      Task n = t;
      n.id = impl.next_task_id++;
      n.added += std::chrono::milliseconds(impl.sc.durations.pending_ms);
      n.added_wall += std::chrono::milliseconds(impl.sc.durations.pending_ms);
      if (n.sample_dir.empty()) {
        n.outcome = Outcome::kFailedProcessing;
        n.error_message = "No recorded report for " + n.hashes.sha256;
      }
      t.outcome = Outcome::kRecovered;
      t.recovery_id = n.id;
      impl.tasks.emplace(n.id, std::move(n));
    }
    impl.tasks.emplace(id, std::move(t));
    ids.push_back(id);
  }

  // views.tasks_create_file: one id "Task ID N has been submitted" (url with a trailing slash), several
  // "Task IDs 3, 4 have been submitted" (urls without it).
  json::Value b = json::Value::object();
  b["error"] = impl.success_error();
  std::string listed;
  json::Value urls = json::Value::array();
  for (int64_t id : ids) {
    listed += (listed.empty() ? "" : ", ") + std::to_string(id);
    urls.push_back(impl.sc.api_url + "/submit/status/" + std::to_string(id) + (ids.size() == 1 ? "/" : ""));
  }
  b["data"] = {{"task_ids", ids},
               {"message", ids.size() == 1 ? "Task ID " + listed + " has been submitted"
                                           : "Task IDs " + listed + " have been submitted"}};
  b["errors"] = upload.errors;
  b["url"] = urls;
  set_json(c.res, b, 200, allow);
}


void view_tasks_view(ViewContext& c) {
  auto& impl = c.impl;
  if (!impl.sc.is_enabled("taskview")) return set_json(c.res, error_body("Task View API is Disabled"));
  Task* t = nullptr;
  const int64_t id = force_int(c.groups[0]);
  const bool missing = task_lookup_missing(c, t, id) || find_fault(c.faults, "task_not_found");
  if (missing) {
    if (impl.sc.multitenancy && impl.sc.profile == Profile::k2026) return set_json(c.res, error_body("Task not found"), 404);
    return set_json(c.res, error_body("Task not found in database"));
  }
  ++t->views;
  t = follow_recovery(impl, t);
  json::Value b = json::Value::object();
  b["error"] = impl.success_error();
  b["data"] = impl.task_dict(*t, Clock::now(), true);
  set_json(c.res, b);
}

void view_tasks_status(ViewContext& c) {
  auto& impl = c.impl;
  const std::string allow = "GET, POST, OPTIONS";
  if (!impl.sc.is_enabled("taskstatus")) return set_json(c.res, error_body("Task status API is disabled"), 200, allow);
  Task* t = nullptr;
  if (task_lookup_missing(c, t, force_int(c.groups[0])) || find_fault(c.faults, "task_not_found"))
    return set_json(c.res, error_body("Task does not exist"), 200, allow);
  json::Value b = json::Value::object();
  b["error"] = impl.success_error();
  b["data"] = impl.phase(*t, Clock::now()).status;
  set_json(c.res, b, 200, allow);
}

void view_tasks_report(ViewContext& c) {
  auto& impl = c.impl;
  if (!impl.sc.is_enabled("taskreport")) return set_json(c.res, error_body("Task Report API is Disabled"));
  Task* t = nullptr;
  task_lookup_missing(c, t, force_int(c.groups[0]));
  if (find_fault(c.faults, "task_not_found")) t = nullptr;
  t = follow_recovery(impl, t);
  if (auto err = validate_task(impl, t, ""); !err.empty()) return set_json(c.res, error_body(err));
  if (ascii_lower(t->tlp) == "red" && (t->tlp == "red" || t->tlp == "Red"))
    return set_json(c.res, error_body("Task has a TLP of RED"));
  const std::string format = ascii_lower(c.groups.size() > 1 ? c.groups[1] : "json");
  const bool make_zip = c.groups.size() > 2;
  static const std::map<std::string, std::string> kFiles = {
      {"json", "report.json"}, {"litereport", "lite.json"}, {"html", "report.html"},
      {"htmlsummary", "summary-report.html"}, {"pdf", "report.pdf"}, {"maec", "report.maec-4.1.xml"},
      {"maec5", "report.maec-5.0.json"}, {"metadata", "report.metadata.xml"}, {"protobuf", "report.protobuf"}};
  static const std::set<std::string> kBundles = {"lite", "all", "dist", "dropped"};
  const bool single = kFiles.count(format) || (format == "parti" && impl.sc.profile == Profile::k2026);
  if (!single && !kBundles.count(format)) {
    if (impl.sc.profile == Profile::k2026) return set_json(c.res, error_body("Report format not found: " + format), 400);
    return set_json(c.res, error_body("Invalid report format specified"));
  }
  // The analysis folder is gone (fault or no recorded report): 2025 crashes, HEAD answers JSON.
  if (t->sample_dir.empty() || find_fault(c.faults, "no_analysis_dir")) {
    if (impl.sc.profile == Profile::k2026)
      return set_json(c.res, error_body("No analysis directory for task " + std::to_string(t->id)));
    c.res.status = 500;
    c.res.set_content(django_500_page("FileNotFoundError", c.req.path,
                                      "[Errno 2] No such file or directory: '/opt/CAPEv2/storage/analyses/" +
                                          std::to_string(t->id) + "'"),
                      "text/html");
    return;
  }
  const fs::path report = t->sample_dir / "Report";
  ZipOptions zo;
  std::string filename = format + ".zip";
  if (single) {
    const std::string file = kFiles.count(format) ? kFiles.at(format) : "report.parti";
    std::error_code ec;
    if (!fs::is_regular_file(report / "reports" / file, ec))
      return set_json(c.res, error_body("Reports directory does not exist"));
    if (!make_zip) {
      // Streamed as is; copy to a temp file so the releaser can delete it like a built zip.
      auto tmp = fs::temp_directory_path() / ("alcape-nestemu-" + std::to_string(t->id) + "-" +
                                              std::to_string(Clock::now().time_since_epoch().count()) + ".json");
      fs::copy_file(report / "reports" / file, tmp, ec);
      if (ec) return set_json(c.res, error_body("Reports directory does not exist"));
      ++t->report_downloads;
      return stream_file(c, tmp, "application/json; charset=UTF-8", std::to_string(t->id) + "_" + file);
    }
    zo.only_lite = true;  // the single member reports/<file>; only lite.json is recorded
    if (format != "litereport") return set_json(c.res, error_body("Reports directory does not exist"));
  } else if (format == "dropped") {
    zo.only_folder = "files";
  }
  if (find_fault(c.faults, "missing_lite")) zo.include_lite = false;
  if (find_fault(c.faults, "zip_traversal")) zo.traversal_entry = true;
  if (const Fault* f = find_fault(c.faults, "zip_bomb")) zo.bomb_mb = f->bomb_mb;
  zo.variants = &impl.sc.report_variants;
  zo.variant_salt = t->sample_dir.filename().string();
  // Building the zip happens without the lock: it can take a while for big reports.
  const fs::path dir = report;
  ++t->report_downloads;
  c.impl.mu.unlock();
  auto built = build_report_zip(dir, zo);
  c.impl.mu.lock();
  if (!built.ok()) {
    c.res.status = 500;
    c.res.set_content(django_500_page("OSError", c.req.path, built.error().describe()), "text/html");
    return;
  }
  stream_file(c, built.value(), "application/zip", filename);
}

void view_tasks_delete(ViewContext& c) {
  auto& impl = c.impl;
  if (!(impl.sc.is_enabled("taskdelete") || c.staff))
    return set_json(c.res, error_body("Task Deletion API is Disabled"));
  const std::string spec = c.groups[0];
  const std::string status = c.groups.size() > 1 ? c.groups[1] : "";
  std::vector<int64_t> ids;
  if (spec.find('-') != std::string::npos) {
    const auto dash = spec.find('-');
    const std::string a = spec.substr(0, dash), b = spec.substr(dash + 1);
    const bool malformed = b.find('-') != std::string::npos || a.find(',') != std::string::npos ||
                           b.find(',') != std::string::npos;
    if (impl.sc.profile == Profile::k2026) {
      if (malformed || force_int(a) < 1 || force_int(b) < 1)
        return set_json(c.res, error_body("Malformed task ID range (expected START-END positive integers)"), 400);
      if (force_int(a) > force_int(b))
        return set_json(c.res, error_body("Start Task ID is bigger than End Task ID"), 400);
    }
    for (int64_t i = force_int(a); i <= force_int(b) && ids.size() < 100000; ++i) ids.push_back(i);
  } else {
    for (const auto& tok : split_tags(spec)) {
      if (impl.sc.profile == Profile::k2026 && force_int(tok) < 1)
        return set_json(c.res, error_body("Malformed task ID (expected positive integers)"), 400);
      ids.push_back(force_int(tok));
    }
  }
  std::string ok, failed;
  for (int64_t id : ids) {
    Task* t = nullptr;
    task_lookup_missing(c, t, id);
    // The status check pivots like validate_task; the task deleted is the one named.
    std::string& into = validate_task(impl, follow_recovery(impl, t), status).empty() ? ok : failed;
    if (&into == &ok) t->deleted = true;
    into += (into.empty() ? "" : ",") + std::to_string(id);
  }
  json::Value b = json::Value::object();
  if (!ok.empty()) b["data"] = "Task(s) ID(s) " + ok + " has been deleted";
  if (!failed.empty()) {
    b["error"] = true;
    b["failed"] = "Task(s) ID(s) " + failed + " failed to remove";
  }
  set_json(c.res, b);
}

}  // namespace alcape::emulators::nest

namespace alcape::emulators::nest {

// Not in CAPE (cape-api.md §2): routed only with Scenario::reboot_endpoint (see Emulator::Impl::handle).
void view_tasks_reboot(ViewContext& c) {
  auto& impl = c.impl;
  Task* t = nullptr;
  const int64_t id = force_int(c.groups[0]);
  if (task_lookup_missing(c, t, id)) return set_json(c.res, error_body("Task not found in database"));
  if (const std::string why = validate_task(impl, t, ""); !why.empty()) return set_json(c.res, error_body(why));
  // The reboot task analyses the same file again on the same machine, on a fresh timeline.
  Task r = *t;
  r.id = impl.next_task_id++;
  r.added = Clock::now();
  r.added_wall = std::chrono::system_clock::now();
  r.views = r.report_downloads = 0;
  impl.tasks[r.id] = r;
  c.record.task_id = id;
  json::Value body = {{"error", false}, {"task_id", id}, {"reboot_id", r.id}};
  set_json(c.res, body);
}

}  // namespace alcape::emulators::nest
