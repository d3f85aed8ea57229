#include "analysis/stages/behavior.hpp"

#include "analysis/stages/pystr.hpp"

#include <memory>

namespace alcape::analysis {

namespace {

constexpr const char* kAnalysisErrorsTitle = "Analysis Errors";

// Python's `if behaviour:` on the behavior dict as read (non-object behaviors are not read at all).
bool behavior_present(const report::Report& r) {
  return r.behavior_p == report::Presence::kPresent && (r.behavior.has_processes || !r.behavior.fields.empty());
}

// len(x) of behavior.processtree; values without a length count as empty.
size_t py_len(const json::Value& v) {
  if (v.is_array() || v.is_object()) return v.size();
  if (v.is_string()) return py::length(v.get_ref<const std::string&>());
  return 0;
}

bool sample_executed(const report::Behavior& b) {
  if (py_len(json::get(b.fields, "processtree")) > 0) return true;
  if (b.has_processes) return !b.processes.empty();
  return py_len(json::get(b.fields, "processes")) > 0;  // a non-list "processes" value
}

// Main processes: siblings of the first process (same parent), plus, for iexplore.exe, its iexplore children
// (HollowsHunter dumps both). A process map without "processes" gives none (the reference raises KeyError).
std::vector<std::pair<int64_t, std::string>> main_processes(const report::Behavior& b) {
  std::vector<std::pair<int64_t, std::string>> out;
  if (b.processes.empty()) return out;
  const json::Value& first = b.processes.front().fields;
  const json::Value& parent_pid = json::get(first, "parent_id");
  const json::Value& initial_name = json::get(first, "process_name");
  const json::Value& initial_pid = json::get(first, "process_id");
  bool iexplore = initial_name.is_string() && initial_name.get_ref<const std::string&>() == "iexplore.exe";
  for (const auto& p : b.processes) {
    const json::Value& ppid = json::get(p.fields, "parent_id");
    const json::Value& name = json::get(p.fields, "process_name");
    bool main = py::equal(ppid, parent_pid) || (iexplore && py::equal(name, initial_name) && py::equal(ppid, initial_pid));
    if (!main) continue;
    const json::Value& pid = json::get(p.fields, "process_id");
    if (!pid.is_number_integer() && !pid.is_number_unsigned()) continue;  // not a pid
    out.emplace_back(pid.get<int64_t>(), name.is_string() ? name.get<std::string>() : std::string());
  }
  return out;
}

}  // namespace

void process_behavior(AnalysisContext& ctx, result::Section& parent) {
  const report::Report& r = ctx.report;
  if (!behavior_present(r)) return;

  // Linux guests have no behavioural monitoring and "free=yes" disables the monitor: no processes is expected.
  const json::Value& machine = ctx.params.machine_info;
  const json::Value& platform = json::get(machine, "Platform");
  bool linux_guest = platform.is_string() && platform.get_ref<const std::string&>() == "linux";
  const json::Value& free = json::get(json::get(r.info, "options"), "free");
  bool monitor_off = free.is_string() && free.get_ref<const std::string&>() == "yes";
  if (!sample_executed(r.behavior) && json::truthy(machine) && !linux_guest && !monitor_off) {
    auto& section = parent.add_child("Sample Did Not Execute", result::BodyFormat::Text);
    section.add_line("Either no program is available to execute a file with the extension: " + ctx.params.file_ext +
                     " OR see the '" + kAnalysisErrorsTitle + "' section for details.");
  }
  ctx.main_process_tuples = main_processes(r.behavior);
}

}  // namespace alcape::analysis
