// PowerShell Activity (curtain) stage: rows per logged script block, names from the process map, tags.
#include "analysis/context.hpp"
#include "analysis/stages/curtain.hpp"

#include <gtest/gtest.h>

namespace alcape::analysis {
namespace {

using json::Value;

struct Fixture {
  report::Report report;
  ParserParams params;
  result::Section parent{"Parent"};
};

result::Section* run(Fixture& f, const Value& process_map = Value::object()) {
  AnalysisContext ctx(f.report, f.params);
  ctx.process_map = process_map;
  process_curtain(ctx, f.parent);
  return f.parent.find_child("PowerShell Activity");
}

TEST(CurtainStage, RowsPerEventWithNamesFromProcessMapOrPowershell) {
  Fixture f;
  f.report.curtain = Value::parse(R"({
    "6140": {"events": [{"1": {"original": "IEX $a", "altered": "Invoke-Expression $a"}},
                        {"2": {"original": "Get-Date", "altered": "No alteration of event."}}],
             "behaviors": ["Downloader", "Obfuscation"]},
    "9012": {"events": [{"1": {"original": "whoami", "altered": "No alteration of event."}}], "behaviors": []}
  })");
  result::Section* s = run(f, Value::parse(R"({"6140": {"name": "pwsh.exe"}})"));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->format, result::BodyFormat::Table);
  EXPECT_EQ(s->data, Value::parse(R"([
    {"process_name": "pwsh.exe", "original": "IEX $a", "reformatted": "Invoke-Expression $a"},
    {"process_name": "pwsh.exe", "original": "Get-Date", "reformatted": null},
    {"process_name": "powershell.exe", "original": "whoami", "reformatted": null}])"));
  EXPECT_EQ(s->body_config, Value::parse(R"({"column_order": ["process_name", "original", "reformatted"]})"));
  const auto* tags = s->tags.values("file.behavior");
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ(*tags, (std::vector<Value>{"Downloader", "Obfuscation"}));
}

TEST(CurtainStage, ProcessWithoutNameShowsNull) {
  Fixture f;
  f.report.curtain = Value::parse(R"({"77": {"events": [{"1": {"original": "a", "altered": "b"}}]}})");
  result::Section* s = run(f, Value::parse(R"({"77": {"name": null, "image": "x"}})"));
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->data[0]["process_name"].is_null());
}

TEST(CurtainStage, NoEventsNoSectionAndTagsAreDropped) {
  Fixture f;
  f.report.curtain = Value::parse(R"({"6140": {"events": [], "behaviors": ["Downloader"]}})");
  EXPECT_EQ(run(f), nullptr);
  EXPECT_TRUE(f.parent.children.empty());
}

TEST(CurtainStage, OddShapesAreSkippedNotFatal) {
  Fixture f;
  // Non-numeric pid (the reference raises ValueError), events not a list, an event not an object, a command
  // that is not an object, missing "altered", behaviors not a list.
  f.report.curtain = Value::parse(R"({
    "abc": {"events": [{"1": {"original": "x"}}, 5, {"2": "text"}], "behaviors": "Downloader"},
    "12": {"events": {"1": {}}},
    "13": null,
    "14": [1, 2]
  })");
  result::Section* s = run(f, Value::parse(R"({"12": {"name": "a"}})"));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->data, Value::parse(R"([{"process_name": "powershell.exe", "original": "x", "reformatted": null}])"));
  EXPECT_TRUE(s->tags.empty());
}

TEST(CurtainStage, CurtainNullOrNotAnObjectGivesNothing) {
  for (const char* text : {"null", "[]", "{}", "\"x\"", "[{\"1\": 2}]"}) {
    Fixture f;
    f.report.curtain = Value::parse(text);
    EXPECT_EQ(run(f), nullptr) << text;
  }
}

TEST(CurtainStage, PidTextIsReadLikePythonInt) {
  Fixture f;
  f.report.curtain = Value::parse(R"({" 0042 ": {"events": [{"1": {"original": "x", "altered": "y"}}]}})");
  result::Section* s = run(f, Value::parse(R"({"42": {"name": "found.exe"}})"));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->data[0]["process_name"], "found.exe");
}

}  // namespace
}  // namespace alcape::analysis
