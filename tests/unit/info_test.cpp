#include "analysis/analyze.hpp"
#include "analysis/context.hpp"
#include "analysis/stages/info.hpp"
#include "analysis/stages/machine_info.hpp"
#include "json/pydump.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

using namespace alcape;
using namespace alcape::analysis;

namespace {

report::Report read(std::string_view text) {
  auto r = report::parse_report(text, analysis_read_options(), "test");
  EXPECT_TRUE(r.ok());
  return std::move(r).value();
}

class AnalysisInformation : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
  // Runs process_info (+ process_machine_info) and returns the section body (or "" when there is none).
  std::string body(std::string_view report_json) {
    report_ = std::make_unique<report::Report>(read(report_json));
    ctx_ = std::make_unique<AnalysisContext>(*report_, params_);
    parent_ = std::make_unique<result::Section>("Parent");
    process_info(*ctx_, *parent_);
    process_machine_info(*ctx_);
    if (parent_->children.empty()) return "";
    EXPECT_EQ(parent_->children[0]->title, "Analysis Information");
    return json::py_dumps(parent_->children[0]->data);
  }
  ParserParams params_;
  std::unique_ptr<report::Report> report_;
  std::unique_ptr<AnalysisContext> ctx_;
  std::unique_ptr<result::Section> parent_;
};

}  // namespace

TEST_F(AnalysisInformation, BodyLikeTheReference) {
  EXPECT_EQ(body(R"j({"info": {"version": "2.4-CAPE", "started": "2025-11-18 21:10:56", "ended": "2025-11-18 21:12:49",
                             "duration": 113, "id": 214563, "route": "inetsim"}})j"),
            R"j({"CAPE Task ID": 214563, "Duration": "00h 01m 53s\t(2025-11-18 21:10:56.000 to 2025-11-18 21:12:49.000)", )j"
            R"j("Routing": "inetsim", "CAPE Version": "2.4-CAPE"})j");
}

TEST_F(AnalysisInformation, DurationKeepsWholeDays) {
  // The reference prints "01h 01m 01s" here (%H of a datetime drops the day): deviation D-procstages-1.
  EXPECT_NE(body(R"j({"info": {"started": "2026-03-18 03:00:00", "ended": "2026-03-19 04:01:01", "duration": 90061}})j")
                .find(R"j("Duration": "25h 01m 01s\t(2026-03-18 03:00:00.000 to 2026-03-19 04:01:01.000)")j"),
            std::string::npos);
}

TEST_F(AnalysisInformation, DurationIsTheDurationInAnyZone) {
  setenv("TZ", "America/Toronto", 1);
  tzset();
  std::string b = body(R"j({"info": {"started": "2025-11-18 21:10:56", "ended": "2025-11-18 21:12:49", "duration": "113"}})j");
  setenv("TZ", "UTC", 1);
  tzset();
  EXPECT_NE(b.find(R"j("Duration": "00h 01m 53s\t(2025-11-18 21:10:56.000 to 2025-11-18 21:12:49.000)")j"), std::string::npos);
}

TEST_F(AnalysisInformation, MissingPartsGiveNullsAndDurationMinusOne) {
  // The reference raises KeyError on each of these.
  EXPECT_EQ(body(R"j({"info": {"started": "2025-11-18 21:10:56", "duration": 5}})j"),
            R"j({"CAPE Task ID": null, "Duration": -1, "Routing": null, "CAPE Version": null})j");
  EXPECT_EQ(body(R"j({"info": {"started": "bad", "ended": "2025-11-18 21:12:49", "duration": 5, "id": 1}})j"),
            R"j({"CAPE Task ID": 1, "Duration": -1, "Routing": null, "CAPE Version": null})j");
  EXPECT_EQ(body(R"j({"info": {"started": "2025-11-18 21:10:56", "ended": "2025-11-18 21:12:49", "duration": "x"}})j"),
            R"j({"CAPE Task ID": null, "Duration": -1, "Routing": null, "CAPE Version": null})j");
}

TEST_F(AnalysisInformation, NoSectionWithoutInfo) {
  EXPECT_EQ(body(R"j({"debug": {}})j"), "");
  EXPECT_EQ(body(R"j({"info": {}})j"), "");
  EXPECT_EQ(body(R"j({"info": null})j"), "");
  EXPECT_EQ(body(R"j({"info": ["a"]})j"), "");
  EXPECT_TRUE(ctx_->ontology.sandboxes().empty());
}

TEST_F(AnalysisInformation, SandboxWithMachineMetadata) {
  params_.machine_info = json::Value::parse(
      R"j({"Name": "blahblahwin10x86", "Manager": "blah", "Platform": "windows", "IP": "1.1.1.1", "Tags": []})j");
  body(R"j({"info": {"version": "2.4-CAPE", "started": "2025-11-18 21:10:56", "ended": "2025-11-18 21:12:49",
                    "duration": 113, "id": 214563, "route": "inetsim", "machine": "ignored"}})j");
  ASSERT_EQ(ctx_->ontology.sandboxes().size(), 1u);
  json::Value s = ctx_->ontology.sandboxes()[0]->as_primitives();
  EXPECT_EQ(s["objectid"]["tag"], "CAPE");
  EXPECT_EQ(s["sandbox_name"], "CAPE");
  EXPECT_EQ(s["sandbox_version"], "2.4-CAPE");
  EXPECT_EQ(s["analysis_metadata"]["start_time"], "2025-11-18 21:10:56.000");
  EXPECT_EQ(s["analysis_metadata"]["end_time"], "2025-11-18 21:12:49.000");
  EXPECT_EQ(s["analysis_metadata"]["task_id"], 214563);
  EXPECT_EQ(s["analysis_metadata"]["routing"], "inetsim");
  EXPECT_EQ(s["analysis_metadata"]["machine_metadata"],
            json::Value::parse(R"j({"ip": "1.1.1.1", "hypervisor": "blah", "hostname": "blahblahwin10x86",
                                  "platform": "Windows", "version": "10", "architecture": "x86"})j"));
}

TEST_F(AnalysisInformation, SandboxWithoutTimesKeepsPlaceholders) {
  body(R"j({"info": {"id": 7}})j");
  ASSERT_EQ(ctx_->ontology.sandboxes().size(), 1u);
  json::Value m = ctx_->ontology.sandboxes()[0]->as_primitives()["analysis_metadata"];
  EXPECT_EQ(m["end_time"], "9999-12-31 23:59:59.999999");
  EXPECT_EQ(m["task_id"], 7);
  EXPECT_TRUE(m["machine_metadata"].is_null());  // no machine_info
}
