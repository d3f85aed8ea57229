// CAPE stage: payload list for the service, one table per extracted config family, heuristic 38.
#include "analysis/context.hpp"
#include "analysis/stages/cape_configs.hpp"
#include "json/pydump.hpp"
#include "report/reader.hpp"
#include "result/heuristic_catalog.hpp"

#include <gtest/gtest.h>

namespace alcape::analysis {
namespace {

using json::Value;

struct StageRun {
  report::Report report;
  ParserParams params;
  result::Section parent{"Parent"};
  Value pids;
  result::Section* section = nullptr;
};

void run(StageRun& r) {
  AnalysisContext ctx(r.report, r.params);
  process_cape(ctx, r.parent);
  r.pids = ctx.cape_artifact_pids;
  r.section = r.parent.find_child("Configs Extracted By CAPE");
}

TEST(CapeStage, PayloadPidsAndYaraHits) {
  StageRun r;
  r.report.cape = Value::parse(R"({"payloads": [
      {"sha256": "aa", "pid": 13576, "cape_yara": [{"name": "AsyncRAT"}]},
      {"sha256": "bb", "pid": 2788, "cape_yara": []},
      {"pid": 1, "cape_yara": []}, 7,
      {"sha256": "cc"}], "configs": []})");
  run(r);
  EXPECT_EQ(r.pids, Value::parse(R"([{"sha256": "aa", "pid": 13576, "is_yara_hit": true},
                                     {"sha256": "bb", "pid": 2788, "is_yara_hit": false},
                                     {"sha256": "cc", "pid": null, "is_yara_hit": false}])"));
  EXPECT_EQ(r.section, nullptr);  // payloads alone give no section
}

TEST(CapeStage, ConfigTablesKeepValuesAsJson) {
  StageRun r;
  // Read through the report reader so numbers keep the types the reader gives them.
  auto rep = report::parse_report(R"({"CAPE": {"configs": [
      {"AsyncRAT": {"C2": ["198.51.100.23"], "Ports": [6606], "Pastebin": null, "BDOS": false, "Delay": 3}},
      {"Emotet": {"MaxValue": 18446744073709551615, "MinValue": -9223372036854775808, "Ratio": 0.1,
                  "Tiny": 1e-07, "Huge": 1.5e+300, "Nested": {"a": [1, "b"]}},
       "XLoader": {}, "_associated_analysis_hashes": {"md5": "x"}},
      {"_associated_config_hashes": []}]}})",
                                  report::ReadOptions{}, "test");
  ASSERT_TRUE(rep.ok()) << rep.error().describe();
  r.report = std::move(rep.value());
  run(r);
  ASSERT_NE(r.section, nullptr);
  EXPECT_EQ(r.section->format, result::BodyFormat::Text);
  EXPECT_FALSE(r.section->body_text().has_value());
  ASSERT_TRUE(r.section->heuristic.has_value());
  EXPECT_EQ(r.section->heuristic->heur_id, 38);
  EXPECT_EQ(result::HeuristicCatalog::builtin().score(*r.section->heuristic), 1000);
  ASSERT_EQ(r.section->children.size(), 3u);
  EXPECT_EQ(r.section->children[0]->title, "AsyncRAT Config");
  EXPECT_EQ(r.section->children[1]->title, "Emotet Config");
  EXPECT_EQ(r.section->children[2]->title, "XLoader Config");
  EXPECT_EQ(*r.section->children[1]->body_text(),
            R"([{"type": "MaxValue", "config_value": 18446744073709551615}, )"
            R"({"type": "MinValue", "config_value": -9223372036854775808}, {"type": "Ratio", "config_value": 0.1}, )"
            R"({"type": "Tiny", "config_value": 1e-07}, {"type": "Huge", "config_value": 1.5e+300}, )"
            R"({"type": "Nested", "config_value": {"a": [1, "b"]}}])");
  EXPECT_EQ(*r.section->children[0]->body_text(),
            R"([{"type": "C2", "config_value": ["198.51.100.23"]}, {"type": "Ports", "config_value": [6606]}, )"
            R"({"type": "Pastebin", "config_value": null}, {"type": "BDOS", "config_value": false}, )"
            R"({"type": "Delay", "config_value": 3}])");
  // An empty family keeps its table, without body, with its column order.
  EXPECT_FALSE(r.section->children[2]->body_text().has_value());
  EXPECT_EQ(r.section->children[2]->body_config, Value::parse(R"({"column_order": ["type", "config_value"]})"));
  EXPECT_TRUE(r.section->tags.empty());
}

TEST(CapeStage, OnlyMetadataConfigStillScores) {
  StageRun r;
  r.report.cape = Value::parse(R"({"configs": [{"_associated_analysis_hashes": {}}]})");
  run(r);
  ASSERT_NE(r.section, nullptr);
  EXPECT_TRUE(r.section->children.empty());
  EXPECT_EQ(r.section->heuristic->heur_id, 38);
}

TEST(CapeStage, OddShapesAreSkipped) {
  for (const char* text : {"null", "[]", "{}", R"({"payloads": null, "configs": null})",
                           R"({"payloads": {"sha256": "a"}, "configs": {"A": {}}})"}) {
    StageRun r;
    r.report.cape = Value::parse(text);
    run(r);
    EXPECT_EQ(r.section, nullptr) << text;
    EXPECT_TRUE(r.pids.empty()) << text;
  }
  StageRun r;
  r.report.cape = Value::parse(R"({"configs": [3, "x", {"Fam": "notadict", "Ok": {"k": 1}}]})");
  run(r);
  ASSERT_NE(r.section, nullptr);
  ASSERT_EQ(r.section->children.size(), 1u);
  EXPECT_EQ(r.section->children[0]->title, "Ok Config");
}

}  // namespace
}  // namespace alcape::analysis
