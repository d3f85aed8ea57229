// The three synthetic reports on which the reference raises (tests/data/samples-synthetic/crashes/*/CRASH.txt):
// al-cape must give a full result for each — the same sections as the base report it was made from (one field
// changed), with the changed part handled.
#include "analysis/analyze.hpp"
#include "report/reader.hpp"
#include "result/result_json.hpp"
#include "support/test_paths.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

namespace alcape {
namespace {

namespace fs = std::filesystem;

json::Value analyse(const fs::path& lite) {
  setenv("TZ", "UTC", 1);
  tzset();
  auto params = analysis::load_params_yaml(testing::harness_params().string());
  auto rep = report::read_report_file(lite.string(), analysis::analysis_read_options());
  if (!rep.ok()) throw std::runtime_error(rep.error().describe());
  result::Section root("Parent");
  analysis::analyze_report(rep.value(), params, root);
  return result::to_harness_json(root, result::HeuristicCatalog::builtin());
}

std::vector<std::string> titles(const json::Value& result) {
  std::vector<std::string> out;
  for (const auto& s : result["result"]["sections"]) out.push_back(s["title_text"].get<std::string>());
  return out;
}

const json::Value* find_section(const json::Value& result, const std::string& title) {
  for (const auto& s : result["result"]["sections"])
    if (s["title_text"] == title) return &s;
  return nullptr;
}

fs::path crash(const std::string& name) {
  return testing::data_dir() / "samples-synthetic" / "crashes" / name / "Report" / "reports" / "lite.json";
}

fs::path base(const std::string& name) {
  return testing::data_dir() / "samples-synthetic" / name / "Report" / "reports" / "lite.json";
}

TEST(CrashCases, SeverityNineIsScoredLikeTheHighestSeverity) {
  json::Value got = analyse(crash("crash-severity-9"));
  EXPECT_EQ(titles(got), titles(analyse(base("signature-marks-zoo"))));
  // The first signature of the zoo (antivm_generic_disk, severity 0 in the base) now has severity 9.
  const json::Value* sig = find_section(got, "Signature: antivm_generic_disk");
  ASSERT_NE(sig, nullptr);
  ASSERT_TRUE(sig->at("heuristic").is_object());
  EXPECT_EQ(sig->at("heuristic")["score"], 1000);
}

TEST(CrashCases, BehaviorWithoutProcessesStillReportsTheSample) {
  json::Value got = analyse(crash("crash-behavior-without-processes"));
  EXPECT_EQ(titles(got), titles(analyse(base("errors-no-network-not-executed"))));
  EXPECT_NE(find_section(got, "Sample Did Not Execute"), nullptr);
}

TEST(CrashCases, AcceptLanguageWithRegionIsFlaggedNotFatal) {
  json::Value got = analyse(crash("crash-suspicious-ua-accept-language"));
  EXPECT_NE(find_section(got, "Protocol: HTTP/HTTPS"), nullptr);
  EXPECT_NE(find_section(got, "Suspicious User Agent(s)"), nullptr);
  EXPECT_NE(find_section(got, "Processes"), nullptr);
  EXPECT_NE(find_section(got, "Signatures"), nullptr);
}

}  // namespace
}  // namespace alcape
