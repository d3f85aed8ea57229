#include "planning/task_params.hpp"

#include <algorithm>
#include <cctype>

namespace alcape::planning {
namespace {

std::string param_string(const config::SubmissionParams& params, const char* name) {
  const json::Value* v = json::find(params, name);
  if (!v || v->is_null()) return {};
  if (v->is_string()) return v->get<std::string>();
  return v->dump();
}

bool param_bool(const config::SubmissionParams& params, const char* name) {
  const json::Value* v = json::find(params, name);
  return v && json::truthy(*v);
}

int64_t param_int(const config::SubmissionParams& params, const char* name) {
  const json::Value* v = json::find(params, name);
  if (v && v->is_number_integer()) return v->get<int64_t>();
  return 0;
}

bool is_unpacking_archive(const std::string& t) {
  for (const char* a : {"archive/iso", "archive/rar", "archive/vhd", "archive/udf", "archive/zip", "archive/7-zip"}) {
    if (t == a) return true;
  }
  return false;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

}  // namespace

TaskRequest build_task_request(const Target& target, const TaskInputs& inputs, const config::ServiceConfig& config,
                               const config::SubmissionParams& params) {
  TaskRequest task;
  std::vector<std::string> options;
  const std::string& type = inputs.al_file_type;

  if (int64_t timeout = param_int(params, "analysis_timeout_in_seconds"); timeout != 0) {
    task.enforce_timeout = true;
    task.timeout = static_cast<int>(timeout);
  } else {
    task.timeout = config.default_analysis_timeout_in_seconds;
  }
  task.clock = param_string(params, "clock");

  if (type.find("dll") != std::string::npos) {
    const std::string function = param_string(params, "dll_function");
    if (!function.empty()) {
      options.push_back("function=" + function);
      if (function.find(':') != std::string::npos) options.push_back("enable_multi=true");
    } else {
      DllExportSelection sel = select_dll_exports(inputs.pe, config.max_dll_exports_exec);
      options.push_back("function=" + join(sel.executed, ":"));
      options.push_back("enable_multi=true");
      if (sel.show_section) task.notices.push_back(Notice{kDllExportsTitle, dll_exports_section_lines(sel)});
    }
  } else if (is_unpacking_archive(type)) {
    options.push_back("file=");  // stops CAPE from unpacking the archive into one task per member
  }

  const std::string package = param_string(params, "package");
  if (!package.empty() && package != "None") {
    task.package = package;
  } else if (config.use_antivm_packages &&
             (type == "code/javascript" || type == "code/jscript" || type == "document/office/word")) {
    task.package = type == "document/office/word" ? "doc_antivm" : "js_antivm";
  } else if (type == "archive/rar") {
    task.package = "archive";
  }

  if (const std::string arguments = param_string(params, "arguments"); !arguments.empty()) {
    options.push_back("arguments=" + arguments);
  }
  if (param_bool(params, "dump_memory")) {
    if (config.machinery_supports_memory_dumps) {
      task.memory = true;
    } else {
      task.notices.push_back(Notice{"CAPE Machinery Cannot Generate Memory Dumps.", {}});
    }
  }
  if (param_bool(params, "no_monitor") || inputs.no_monitor_variant) {
    options.push_back("free=yes");
    task.no_monitor = true;
  }
  if (param_bool(params, "force_sleepskip")) options.push_back("force-sleepskip=1");
  if (!param_bool(params, "simulate_user")) options.push_back("nohuman=true");
  if (inputs.deep_scan) options.push_back("hollowshunter=all");
  if (const std::string hh = param_string(params, "hh_args"); !hh.empty()) options.push_back("hh_args=" + hh);
  if (const std::string route = effective_routing(config, params); !route.empty()) task.route = route;
  if (config.limit_monitor_apis) options.push_back("api-cap=1000");

  if (type.rfind("archive/", 0) == 0) {
    const std::string password = param_string(params, "password");
    if (!password.empty()) {
      options.push_back("password=" + password);
      if (password.find(':') != std::string::npos) options.push_back("enable_multi_password=true");
    } else if (!inputs.archive_passwords.empty()) {
      options.push_back("password=" + join(inputs.archive_passwords, ":"));
      options.push_back("enable_multi_password=true");
    }
  }

  // Deviation: no trailing comma when custom_options is empty (the reference always appends "," + custom_options).
  if (const std::string custom = param_string(params, "custom_options"); !custom.empty()) options.push_back(custom);
  task.options = join(options, ",");

  task.tags = target.tags;
  task.machine = target.machine;
  task.platform = target.platform;
  return task;
}

std::vector<std::pair<std::string, std::string>> TaskRequest::form_fields() const {
  auto py_bool = [](bool b) { return std::string(b ? "True" : "False"); };
  std::vector<std::pair<std::string, std::string>> f;
  f.emplace_back("timeout", std::to_string(timeout));
  f.emplace_back("enforce_timeout", py_bool(enforce_timeout));
  f.emplace_back("options", options);
  f.emplace_back("clock", clock);
  if (package) f.emplace_back("package", *package);
  if (memory) f.emplace_back("memory", py_bool(true));
  if (route) f.emplace_back("route", *route);
  if (tags) f.emplace_back("tags", *tags);
  if (machine) f.emplace_back("machine", *machine);
  if (platform) f.emplace_back("platform", *platform);
  return f;
}

std::vector<bool> monitor_variants(const config::SubmissionParams& params) {
  if (param_bool(params, "monitored_and_unmonitored") && !param_bool(params, "no_monitor")) return {false, true};
  return {false};
}

std::optional<Notice> invalid_timeout_notice(const config::SubmissionParams& params, int service_timeout_in_seconds,
                                             bool reboot) {
  int64_t requested = param_int(params, "analysis_timeout_in_seconds");
  if (reboot) requested *= 2;
  // Deviation: the analysis must end before the service timeout (the reference accepts up to timeout + 60).
  if (requested < service_timeout_in_seconds) return std::nullopt;
  const std::string svc = std::to_string(service_timeout_in_seconds);
  return Notice{"Invalid Analysis Timeout Requested",
                {"The analysis timeout requested was " + std::to_string(requested) +
                 ", which exceeds the time that Assemblyline will run the service (" + svc +
                 "). Choose an analysis timeout value < " + svc +
                 " and submit the file again. Note that the requested analysis timeout must give the processing some "
                 "time to finish before the service timeout. In other words: analysis timeout + processing timeout < " +
                 svc + "."}};
}

}  // namespace alcape::planning
