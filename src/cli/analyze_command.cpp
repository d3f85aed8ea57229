#include "core/digest.hpp"
#include "cli/analyze_command.hpp"

#include "artifacts/classify.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output_file.hpp"
#include "result/result_json.hpp"
#include "cli/summary.hpp"
#include "config/service_config.hpp"
#include "json/pydump.hpp"
#include "pipeline/pipeline.hpp"
#include "planning/file_type.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>

namespace alcape::cli {
namespace {

namespace fs = std::filesystem;

struct AnalyzeOptions {
  std::string file;
  std::string config_file;
  std::vector<std::string> params;
  std::string file_type;
  std::string out_dir;
  bool json = false;
  int timeout_s = 0;         // 0: the service timeout minus a margin for the upload
  int poll_ms = 0;           // 0: the defaults (tests use a few ms)
  int backoff_ms = 0;
  bool deep_scan = false;
};

std::atomic<bool> g_cancel{false};
extern "C" void on_signal(int) { g_cancel = true; }

void print_error(const std::string& message) {
  std::string line = message;
  for (auto& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  std::cerr << "al-cape analyze: " << line << "\n";
}

// The temporary work folder, removed whatever happens.
struct WorkDir {
  fs::path path;
  WorkDir() {
    std::string tmpl = (fs::temp_directory_path() / "al-cape-analyze-XXXXXX").string();
    if (char* p = mkdtemp(tmpl.data())) path = p;
  }
  ~WorkDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

int write_out_dir(const fs::path& dir, const json::Value& result_json, const pipeline::Outcome& outcome) {
  std::error_code ec;
  fs::create_directories(dir / "extracted", ec);
  fs::create_directories(dir / "supplementary", ec);
  if (!write_file(dir / "result.json", json::py_dumps_indent(result_json, 4)) ||
      !write_file(dir / "result_ontology.json", json::py_dumps_indent(outcome.ontology, 4))) {
    print_error((dir / "result.json").string() + ": cannot write the output file");
    return kExitCannotWrite;
  }
  for (const auto* list : {&outcome.extracted, &outcome.supplementary}) {
    const fs::path sub = dir / (list == &outcome.extracted ? "extracted" : "supplementary");
    for (const auto& a : *list) {
      const fs::path dest = sub / a.name;
      fs::create_directories(dest.parent_path(), ec);
      fs::copy_file(a.path, dest, fs::copy_options::overwrite_existing, ec);
      if (ec) {
        print_error(dest.string() + ": cannot write the artifact (" + ec.message() + ")");
        return kExitCannotWrite;
      }
    }
  }
  return kExitOk;
}

int run(const AnalyzeOptions& o) {
  auto config = o.config_file.empty() ? StatusOr<config::ServiceConfig>(config::default_config())
                                      : config::load_config_file(o.config_file);
  if (!config.ok()) {
    print_error(config.error().describe());
    return kExitInvalidParams;
  }
  config::SubmissionParams params = config::default_submission_params();
  for (const auto& kv : o.params) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) {
      print_error("--param expects name=value, got '" + kv + "'");
      return kExitUsage;
    }
    if (auto s = config::apply_param(params, kv.substr(0, eq), kv.substr(eq + 1)); !s.ok()) {
      print_error(s.error().describe());
      return kExitInvalidParams;
    }
  }
  std::error_code ec;
  if (!fs::is_regular_file(o.file, ec)) {
    print_error(o.file + ": cannot read the file");
    return kExitUnreadable;
  }
  pipeline::FileToAnalyse file;
  file.path = o.file;
  file.name = fs::path(o.file).filename().string();
  auto sha = digest::sha256_file(o.file);
  if (!sha.ok()) {
    print_error(sha.error().describe());
    return kExitUnreadable;
  }
  file.sha256 = sha.value();
  if (!o.file_type.empty()) {
    file.file_type = o.file_type;
  } else {
    auto type = planning::identify_file(o.file);
    if (!type.ok()) {
      print_error(type.error().describe());
      return kExitUnreadable;
    }
    file.file_type = type.value();
  }

  WorkDir work;
  if (work.path.empty()) {
    print_error("cannot create a temporary work folder");
    return kExitCannotWrite;
  }
  pipeline::RunOptions ro;
  const int budget = o.timeout_s > 0 ? o.timeout_s : std::max(60, config->service_timeout_in_seconds - 30);
  ro.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(budget);
  ro.work_dir = work.path;
  ro.cancel = &g_cancel;
  ro.deep_scan = o.deep_scan;
  if (o.poll_ms > 0) {
    const std::chrono::milliseconds p(o.poll_ms);
    ro.timing.pending_poll = ro.timing.running_poll = ro.timing.processing_poll = p;
  }
  if (o.backoff_ms > 0) {
    ro.timing.backoff_base = std::chrono::milliseconds(o.backoff_ms);
    ro.timing.backoff_max = std::chrono::milliseconds(o.backoff_ms * 8);
  }
  const bool tty = isatty(STDERR_FILENO) == 1;
  auto mu = std::make_shared<std::mutex>();
  if (tty) {
    ro.on_progress = [mu](const pipeline::Progress& p) {
      std::lock_guard<std::mutex> lock(*mu);
      std::string ids;
      for (auto id : p.task_ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
      std::cerr << "\r\033[K" << p.host << " task " << ids << ": " << p.status << "  " << p.elapsed.count() << "s / "
                << p.deadline.count() << "s" << std::flush;
    };
  }
  ro.log = [mu, tty](const char* level, const std::string& text) {
    if (!tty) return;  // quiet when not a terminal; failures are in the result and the exit code
    std::lock_guard<std::mutex> lock(*mu);
    std::cerr << "\r\033[K" << level << ": " << text << "\n";
  };
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  pipeline::Outcome outcome = pipeline::run(file, config.value(), params, ro);
  if (tty) std::cerr << "\r\033[K" << std::flush;
  const auto& catalog = result::HeuristicCatalog::builtin();
  json::Value result_json = result::to_cli_json(*outcome.root, catalog);
  if (!o.out_dir.empty())
    if (int rc = write_out_dir(o.out_dir, result_json, outcome); rc != kExitOk) return rc;
  if (o.json) std::cout << json::py_dumps_indent(result_json, 4) << "\n";
  else std::cout << render_summary(*outcome.root, outcome.process_events, catalog);
  if (outcome.ok()) return kExitOk;
  print_error(outcome.error ? outcome.error->describe() : "the analysis failed");
  return *outcome.failure == Disposition::kRecoverable ? kExitRecoverable : kExitNonRecoverable;
}

}  // namespace

void register_analyze_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand("analyze", "Submit a file to the configured CAPE nest(s) and analyse the report");
  cmd->add_option("file", opts->file, "the file to analyse")->required();
  cmd->add_option("--config", opts->config_file, "service config YAML (the manifest's config keys)");
  cmd->add_option("--param", opts->params, "submission parameter name=value (repeatable)");
  cmd->add_option("--file-type", opts->file_type, "force the Assemblyline file type (e.g. executable/windows/pe32)");
  cmd->add_option("--out", opts->out_dir, "write result.json, result_ontology.json, extracted/ and supplementary/ here");
  cmd->add_flag("--json", opts->json, "print the result JSON instead of the summary");
  cmd->add_flag("--deep-scan", opts->deep_scan, "Assemblyline's deep scan flag");
  cmd->add_option("--timeout", opts->timeout_s, "overall deadline in seconds (default: service timeout - 30)");
  cmd->add_option("--poll-ms", opts->poll_ms, "poll interval in ms for every phase (tests)");
  cmd->add_option("--backoff-ms", opts->backoff_ms, "first retry backoff in ms (tests)");
  cmd->callback([opts, &exit_code]() { exit_code = run(*opts); });
}

}  // namespace alcape::cli
