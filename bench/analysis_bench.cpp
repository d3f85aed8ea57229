// Speed of the report engine on the bundled reports: read (parse + reduce) and analyse, per report.
// Run: build/alcape_bench (or `make bench`, which also runs the large-report measurements).
#include "analysis/analyze.hpp"
#include "report/reader.hpp"
#include "result/result_json.hpp"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void BM_ReadAndAnalyse(benchmark::State& state, fs::path lite) {
  setenv("TZ", "UTC", 1);
  tzset();
  const std::string text = slurp(lite);
  const auto params =
      alcape::analysis::load_params_yaml((fs::path(ALCAPE_TEST_DATA) / "samples" / "harness-params.yaml").string());
  const auto options = alcape::analysis::analysis_read_options();
  for (auto _ : state) {
    auto rep = alcape::report::parse_report(text, options, lite.string());
    alcape::result::Section root("Parent");
    auto out = alcape::analysis::analyze_report(rep.value(), params, root);
    auto json = alcape::result::to_harness_json(root, alcape::result::HeuristicCatalog::builtin());
    benchmark::DoNotOptimize(json);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}

void BM_ReadOnly(benchmark::State& state, fs::path lite) {
  const std::string text = slurp(lite);
  const auto options = alcape::analysis::analysis_read_options();
  for (auto _ : state) {
    auto rep = alcape::report::parse_report(text, options, lite.string());
    benchmark::DoNotOptimize(rep);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(text.size()));
}

int register_all() {
  for (const char* group : {"samples", "samples-synthetic"}) {
    for (const auto& e : fs::directory_iterator(fs::path(ALCAPE_TEST_DATA) / group)) {
      fs::path lite = e.path() / "Report" / "reports" / "lite.json";
      if (!fs::exists(lite) || !fs::exists(e.path() / "Results")) continue;
      std::string name = e.path().filename().string().substr(0, 24);
      benchmark::RegisterBenchmark(("ReadAndAnalyse/" + name).c_str(), BM_ReadAndAnalyse, lite)
          ->Unit(benchmark::kMillisecond);
      benchmark::RegisterBenchmark(("ReadOnly/" + name).c_str(), BM_ReadOnly, lite)->Unit(benchmark::kMillisecond);
    }
  }
  return 0;
}

const int registered = register_all();

}  // namespace

BENCHMARK_MAIN();
