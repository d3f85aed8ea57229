// HollowsHunter stage: a row per process whose announced implanted PEs were all confirmed by a scan.
#include "analysis/context.hpp"
#include "analysis/stages/hollowshunter.hpp"
#include "analysis/stages/py_repr.hpp"

#include <gtest/gtest.h>

namespace alcape::analysis {
namespace {

using json::Value;

result::Section* run(report::Report& r, result::Section& parent, const Value& process_map) {
  ParserParams params;
  AnalysisContext ctx(r, params);
  ctx.process_map = process_map;
  process_hollowshunter(ctx, parent);
  return parent.find_child("HollowsHunter Analysis");
}

Value hh_entry(int announced, const std::string& scans) {
  return Value::parse(R"({"scanned": {"modified": {"implanted_pe": )" + std::to_string(announced) +
                      R"(}}, "scans": )" + scans + "}");
}

TEST(HollowsHunterStage, ConfirmedImplantsGiveRowsWithPythonListRepr) {
  report::Report r;
  r.hollowshunter = Value::object();
  r.hollowshunter["13576"] = hh_entry(1, R"([{"workingset_scan": {"module": "400000", "has_pe": 1}},
                                              {"workingset_scan": {"module": "2a0000", "has_pe": 0}}])");
  r.hollowshunter["2788"] = hh_entry(2, R"([{"workingset_scan": {"module": "2a30000", "has_pe": 1}}])");
  r.hollowshunter["5120"] = hh_entry(0, "[]");
  r.hollowshunter["4040"] = hh_entry(2, R"([{"workingset_scan": {"module": "1000", "has_pe": true}},
                                             {"other_scan": {}}, {"workingset_scan": {"module": "it's", "has_pe": 1}}])");
  result::Section parent("Parent");
  result::Section* s = run(r, parent, Value::parse(R"({"13576": {"name": "RegAsm.exe"}, "2788": {"name": "a"}})"));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->data, Value::parse(R"J([
    {"Process": "RegAsm.exe (13576)", "Indicator": "Implanted PE", "Description": "Modules found: ['400000']"},
    {"Process": "None (4040)", "Indicator": "Implanted PE", "Description": "Modules found: ['1000', \"it's\"]"}])J"));
  EXPECT_EQ(s->body_config, Value::parse(R"({"column_order": ["Process", "Indicator", "Description"]})"));
}

TEST(HollowsHunterStage, NothingConfirmedNoSection) {
  report::Report r;
  r.hollowshunter = Value::object();
  r.hollowshunter["1"] = hh_entry(1, "[]");
  result::Section parent("Parent");
  EXPECT_EQ(run(r, parent, Value::object()), nullptr);
}

TEST(HollowsHunterStage, OddShapesAreSkipped) {
  report::Report r;
  r.hollowshunter = Value::parse(R"({
    "1": null, "2": {"scanned": null}, "3": {"scanned": {"modified": {"implanted_pe": "2"}}},
    "4": {"scanned": {"modified": {"implanted_pe": 1}}},
    "5": {"scanned": {"modified": {"implanted_pe": 1}}, "scans": [null, "workingset_scan", {"workingset_scan": 3}]},
    "x": {"scanned": {"modified": {"implanted_pe": 1.0}}, "scans": [{"workingset_scan": {"has_pe": 1}}]}
  })");
  result::Section parent("Parent");
  result::Section* s = run(r, parent, Value::object());
  ASSERT_NE(s, nullptr);
  // Only "x" is confirmed (1.0 == 1 implant); its module is missing, shown as None.
  EXPECT_EQ(s->data, Value::parse(R"J([
    {"Process": "None (x)", "Indicator": "Implanted PE", "Description": "Modules found: [None]"}])J"));
  for (const char* text : {"null", "[]", "{}", "7"}) {
    report::Report r2;
    r2.hollowshunter = Value::parse(text);
    result::Section p2("Parent");
    EXPECT_EQ(run(r2, p2, Value::object()), nullptr) << text;
  }
}

TEST(PyRepr, MatchesPython) {
  EXPECT_EQ(py_repr(Value::parse(R"(["a", 1, 2.5, null, true, false, {"k": [1e-07]}])")),
            "['a', 1, 2.5, None, True, False, {'k': [1e-07]}]");
  EXPECT_EQ(py_repr_string("it's"), "\"it's\"");
  EXPECT_EQ(py_repr_string("a'b\"c"), "'a\\'b\"c'");
  EXPECT_EQ(py_repr_string("t\tn\nr\rb\\ \x01\x7f"), "'t\\tn\\nr\\rb\\\\ \\x01\\x7f'");
  EXPECT_EQ(py_repr_string("caf\xc3\xa9 \xc2\xa0 \xe2\x80\xa8"), "'caf\xc3\xa9 \\xa0 \\u2028'");
  EXPECT_EQ(py_str(Value("plain")), "plain");
  EXPECT_EQ(py_str(Value()), "None");
  EXPECT_EQ(py_str(Value(12)), "12");
}

}  // namespace
}  // namespace alcape::analysis
