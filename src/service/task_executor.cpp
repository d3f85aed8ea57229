#include "service/task_executor.hpp"

#include "service/log.hpp"

#include <fmt/format.h>

namespace alcape::service {
namespace {

std::string str_at(const json::Value& v, const char* key) {
  return v.is_object() && v.contains(key) && v[key].is_string() ? v[key].get<std::string>() : std::string();
}

}  // namespace

std::string task_prefix(const json::Value& task) {
  const json::Value& fi = task.is_object() && task.contains("fileinfo") ? task["fileinfo"] : json::Value();
  return fmt::format("[{}/{}] ", str_at(task, "sid"), str_at(fi, "sha256"));
}

std::chrono::seconds own_budget(int timeout_seconds) {
  int margin = std::clamp(timeout_seconds / 10, 2, 60);
  return std::chrono::seconds(std::max(1, timeout_seconds - margin));
}

StatusOr<ServiceSetup> apply_service_config(ServiceSetup base, const json::Value& sc) {
  if (!sc.is_object()) return base;
  if (sc.contains("config") && sc["config"].is_object()) {
    auto parsed = config::parse_config(sc["config"]);
    if (!parsed.ok()) return parsed.error();
    int keep_timeout = base.config.service_timeout_in_seconds;
    base.config = std::move(parsed).value();
    base.config.service_timeout_in_seconds = keep_timeout;
  }
  if (sc.contains("timeout") && sc["timeout"].is_number_integer()) base.timeout_seconds = sc["timeout"].get<int>();
  base.config.service_timeout_in_seconds = base.timeout_seconds;
  if (sc.contains("submission_params") && sc["submission_params"].is_array()) {
    for (const auto& p : sc["submission_params"])
      if (p.is_object() && p.contains("name") && p["name"].is_string() && p.contains("default"))
        base.param_defaults[p["name"].get<std::string>()] = p["default"];
  }
  return base;
}

TaskOutput execute_task(const json::Value& task, const std::filesystem::path& file, const ServiceSetup& setup,
                        const PipelineFn& pipeline, const ExecuteOptions& options) {
  const std::string prefix = task_prefix(task);
  auto started = std::chrono::system_clock::now();
  TaskOutput out;
  auto fail = [&](Disposition d, const std::string& message) {
    out.ok = false;
    out.payload = build_error(task, d, message, setup.identity);
    out.summary = fmt::format("{}: {}", d == Disposition::kNonRecoverable ? "FAIL_NONRECOVERABLE" : "FAIL_RECOVERABLE",
                              message);
    return out;
  };

  // Submission parameters: the registered defaults, overwritten by what the task carries.
  json::Value given = setup.param_defaults;
  if (task.contains("service_config") && task["service_config"].is_object())
    for (const auto& [k, v] : task["service_config"].items()) given[k] = v;
  auto params = config::parse_submission_params(given);
  if (!params.ok()) return fail(on_task_failure(params.error().code), params.error().describe());

  const json::Value& fi = task.contains("fileinfo") ? task["fileinfo"] : json::Value::object();
  pipeline::FileToAnalyse input;
  input.path = file;
  input.sha256 = str_at(fi, "sha256");
  input.name = str_at(task, "filename");
  if (input.name.empty()) input.name = input.sha256;
  input.file_type = str_at(fi, "type");

  pipeline::RunOptions run;
  run.deadline = options.deadline;
  run.work_dir = options.work_dir;
  run.safelist = setup.safelist;
  run.cancel = options.cancel;
  run.timing = setup.timing;
  run.deep_scan = task.value("deep_scan", false);
  // Archive passwords other services found (only present when the manifest asks for temp submission data).
  if (task.contains("temporary_submission_data") && task["temporary_submission_data"].is_array())
    for (const auto& item : task["temporary_submission_data"])
      if (item.is_object() && item.value("name", "") == "passwords" && item.contains("value")) {
        const json::Value& v = item["value"];
        if (v.is_array()) {
          for (const auto& pw : v)
            if (pw.is_string()) run.archive_passwords.push_back(pw.get<std::string>());
        } else if (v.is_string()) {
          run.archive_passwords.push_back(v.get<std::string>());
        }
      }
  run.log = [&prefix](const char* level, const std::string& text) {
    std::string l = level ? level : "info";
    log::Level lv = l == "debug" ? log::Level::kDebug
                    : l == "warning" || l == "warn" ? log::Level::kWarning
                    : l == "error" ? log::Level::kError : log::Level::kInfo;
    log::write(lv, prefix + text);
  };
  run.on_progress = [&prefix](const pipeline::Progress& p) {
    if (log::enabled(log::Level::kDebug))
      log::debug(fmt::format("{}{} status {} after {} s", prefix, p.host, p.status, p.elapsed.count()));
  };

  pipeline::Outcome outcome;
  try {
    outcome = pipeline(input, setup.config, *params, run);
  } catch (const std::exception& e) {  // a bug in the pipeline must not take the container down
    return fail(Disposition::kNonRecoverable, std::string("internal error: ") + e.what());
  }
  if (!outcome.ok()) {
    Disposition d = *outcome.failure == Disposition::kRetryCall ? Disposition::kRecoverable : *outcome.failure;
    std::string message = outcome.error ? outcome.error->describe() : std::string("the analysis failed");
    return fail(d, message);
  }
  auto built = build_result(task, outcome, setup.identity, started, std::chrono::system_clock::now(),
                            options.work_dir);
  out.ok = true;
  out.summary = fmt::format("score {}, {} extracted, {} supplementary",
                            built.result["result"].value("score", 0),
                            built.result["response"]["extracted"].size(),
                            built.result["response"]["supplementary"].size());
  out.payload = std::move(built.result);
  out.files = std::move(built.files);
  return out;
}

}  // namespace alcape::service
