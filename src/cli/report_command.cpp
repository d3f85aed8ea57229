#include "cli/report_command.hpp"

#include "analysis/analyze.hpp"
#include "analysis/warm_up.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output_file.hpp"
#include "cli/summary.hpp"
#include "json/pydump.hpp"
#include "report/reader.hpp"
#include "result/result_json.hpp"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

namespace alcape::cli {
namespace {

struct ReportOptions {
  std::string input;
  std::string params_file;
  std::string out_dir;
  bool json = false;
  uint64_t max_bytes = 1ull << 30;
  size_t max_depth = 1024;
};

// Errors are one line on stderr: "al-cape report: <what, for which file>".
void print_error(const std::string& message) {
  std::string line = message;
  for (auto& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  std::cerr << "al-cape report: " << line << "\n";
}

int run(const ReportOptions& o) {
  analysis::ParserParams params;
  try {
    params = o.params_file.empty() ? analysis::default_params() : analysis::load_params_yaml(o.params_file);
  } catch (const std::exception& e) {
    std::string what = e.what();
    // load_params_yaml names the file in most messages; make sure every one does.
    if (what.find(o.params_file) == std::string::npos) what = o.params_file + ": " + what;
    print_error("invalid parameters: " + what);
    return kExitInvalidParams;
  }
  // The reference formats analysis times in the service's local time zone.
  setenv("TZ", params.timezone.c_str(), 1);
  tzset();

  // The one-time compiles of the analysis run while the report is read (see analysis/warm_up.hpp).
  std::jthread warm_up([&params] { analysis::warm_up(params); });
  report::ReadOptions ro = analysis::analysis_read_options();
  ro.max_bytes = o.max_bytes;
  ro.max_depth = o.max_depth;
  auto rep = report::read_report_file(o.input, ro);
  if (!rep.ok()) {
    print_error(rep.error().describe());
    return exit_code_for(rep.error().code);
  }
  const auto& catalog = result::HeuristicCatalog::builtin();
  result::Section root("Parent");
  analysis::AnalysisOutput out;
  try {
    out = analysis::analyze_report(rep.value(), params, root);
  } catch (const std::exception& e) {
    print_error(o.input + ": internal error while analysing the report: " + e.what());
    return kExitInternal;
  }
  json::Value result_json = result::to_cli_json(root, catalog);
  if (!o.out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.out_dir, ec);
    std::filesystem::path dir(o.out_dir);
    const std::pair<const char*, std::string> files[] = {
        {"result.json", json::py_dumps_indent(result_json, 4)},
        {"Section.json", json::py_dumps(out.process_events)},
        {"result_ontology.json", json::py_dumps_indent(out.ontology, 4)}};
    for (const auto& [name, content] : files) {
      if (!write_file(dir / name, content)) {
        print_error((dir / name).string() + ": cannot write the output file" +
                    (ec ? " (" + ec.message() + ")" : std::string()));
        return kExitCannotWrite;
      }
    }
  }
  if (o.json) std::cout << json::py_dumps_indent(result_json, 4) << "\n";
  else std::cout << render_summary(root, out.process_events, catalog);
  // Everything is written: end the process without destroying the report, the result and the compiled patterns
  // one allocation at a time (as compilers do with -disable-free); the kernel frees the memory at once.
  warm_up.join();
  std::cout.flush();
  if (!std::cout) {
    print_error("standard output: cannot write the result");
    return kExitCannotWrite;
  }
  std::_Exit(kExitOk);
}

}  // namespace

void register_report_command(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand("report", "Analyse a CAPE lite report (lite.json or the lite zip)");
  cmd->add_option("report", opts->input, "reports/lite.json, or the zip of tasks/get/report/<id>/lite/zip/")
      ->required();
  cmd->add_option("--params", opts->params_file, "YAML file with the parser parameters (see README)");
  cmd->add_flag("--json", opts->json, "print the result JSON instead of the summary");
  cmd->add_option("--out", opts->out_dir, "write result.json, Section.json and result_ontology.json here");
  cmd->add_option("--max-bytes", opts->max_bytes, "refuse reports larger than this (default 1 GiB)");
  cmd->add_option("--max-depth", opts->max_depth, "refuse JSON nested deeper than this (default 1024)");
  cmd->callback([opts, &exit_code]() { exit_code = run(*opts); });
}

}  // namespace alcape::cli
