#include "analysis/analyze.hpp"
#include "analysis/context.hpp"
#include "analysis/stages/behavior.hpp"

#include <gtest/gtest.h>

using namespace alcape;
using namespace alcape::analysis;

namespace {

struct BehaviorRun {
  std::vector<std::string> titles;
  std::string text;
  std::vector<std::pair<int64_t, std::string>> main;
};

BehaviorRun run(std::string_view report_json, json::Value machine_info = json::Value::parse(R"({"Platform": "windows"})")) {
  ParserParams params;
  params.file_ext = "html";
  params.machine_info = std::move(machine_info);
  auto r = report::parse_report(report_json, analysis_read_options(), "test");
  EXPECT_TRUE(r.ok());
  AnalysisContext ctx(*r, params);
  result::Section parent("Parent");
  process_behavior(ctx, parent);
  BehaviorRun out;
  for (const auto& c : parent.children) {
    out.titles.push_back(c->title);
    out.text = c->data.is_string() ? c->data.get<std::string>() : "";
  }
  out.main = ctx.main_process_tuples;
  return out;
}

using Tuples = std::vector<std::pair<int64_t, std::string>>;

}  // namespace

TEST(SampleDidNotExecute, RaisedWhenNothingRan) {
  BehaviorRun r = run(R"({"behavior": {"processes": [], "processtree": []}})");
  ASSERT_EQ(r.titles, std::vector<std::string>{"Sample Did Not Execute"});
  EXPECT_EQ(r.text, "Either no program is available to execute a file with the extension: html OR see the "
                    "'Analysis Errors' section for details.");
  EXPECT_TRUE(r.main.empty());
}

TEST(SampleDidNotExecute, NotRaisedWhenExpectedOrUnknown) {
  const char* nothing_ran = R"({"behavior": {"processes": [], "processtree": []}})";
  EXPECT_TRUE(run(nothing_ran, json::Value::parse(R"({"Platform": "linux"})")).titles.empty());
  EXPECT_TRUE(run(nothing_ran, nullptr).titles.empty());  // machine unknown
  EXPECT_TRUE(run(R"({"info": {"options": {"free": "yes"}}, "behavior": {"processes": []}})").titles.empty());
  EXPECT_TRUE(run(R"({"behavior": {"processtree": [{"pid": 1}]}})").titles.empty());
  EXPECT_TRUE(run(R"({"behavior": {}})").titles.empty());  // empty behavior is falsy
  EXPECT_TRUE(run(R"({"info": {}})").titles.empty());
}

TEST(SampleDidNotExecute, BehaviorWithoutProcessesKey) {
  // crash-behavior-without-processes: the reference raises KeyError; al-cape reports the non-execution and has no
  // main process.
  BehaviorRun r = run(R"({"info": {"options": null}, "behavior": {"processtree": [], "summary": {}}})");
  EXPECT_EQ(r.titles, std::vector<std::string>{"Sample Did Not Execute"});
  EXPECT_TRUE(r.main.empty());
}

TEST(MainProcesses, SiblingsOfTheFirstProcess) {
  BehaviorRun r = run(R"({"behavior": {"processes": [
      {"process_id": 10, "parent_id": 1, "process_name": "a.exe"},
      {"process_id": 11, "parent_id": 10, "process_name": "b.exe"},
      {"process_id": 12, "parent_id": 1, "process_name": "c.exe"},
      {"process_id": "13", "parent_id": 1, "process_name": "bad pid"}]}})");
  EXPECT_TRUE(r.titles.empty());
  EXPECT_EQ(r.main, (Tuples{{10, "a.exe"}, {12, "c.exe"}}));
}

TEST(MainProcesses, IexploreKeepsItsIexploreChildren) {
  BehaviorRun r = run(R"({"behavior": {"processes": [
      {"process_id": 10, "parent_id": 1, "process_name": "iexplore.exe"},
      {"process_id": 11, "parent_id": 10, "process_name": "iexplore.exe"},
      {"process_id": 12, "parent_id": 10, "process_name": "other.exe"}]}})");
  EXPECT_EQ(r.main, (Tuples{{10, "iexplore.exe"}, {11, "iexplore.exe"}}));
}
