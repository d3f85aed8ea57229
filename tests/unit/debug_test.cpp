#include "analysis/analyze.hpp"
#include "analysis/context.hpp"
#include "analysis/stages/debug.hpp"
#include "analysis/stages/pystr.hpp"

#include <gtest/gtest.h>

using namespace alcape;
using namespace alcape::analysis;

namespace {

report::Report read(std::string_view text) {
  auto r = report::parse_report(text, analysis_read_options(), "test");
  EXPECT_TRUE(r.ok());
  return std::move(r).value();
}

result::Section run_debug(std::string_view report_json) {
  static const ParserParams params;
  report::Report r = read(report_json);
  AnalysisContext ctx(r, params);
  result::Section parent("Parent");
  process_debug(ctx, parent);
  return parent;
}

}  // namespace

TEST(AnalysisErrors, ErrorsVerbatimThenDistinctLogErrorsCapitalised) {
  // Expected text from the reference's process_debug on the same fragment (Python 3.11).
  auto parent = run_debug(R"({"debug": {
    "errors": ["Boom one", "", "Second error"],
    "log": "2026 [root] ERROR: Analysis failed: The package crashed badly\nINFO: fine\nx ERROR: short one\nx error: \u00c9CHEC de l'ouverture du fichier distant\nERROR:   analysis FAILED: the package crashed badly  \nERROR: Could not open file C:\\x\\y.dll for a long while\nerror:\u03a3\u038a\u03a3\u03a5\u03a6\u039f\u03a3 \u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3 test line"}})");
  ASSERT_EQ(parent.children.size(), 1u);
  const auto& s = *parent.children[0];
  EXPECT_EQ(s.title, "Analysis Errors");
  EXPECT_EQ(s.data.get<std::string>(),
            "Boom one\nSecond error\nAnalysis failed: the package crashed badly\n"
            "\xc3\x89" "chec de l'ouverture du fichier distant\n"
            "\xce\xa3\xce\xaf\xcf\x83\xcf\x85\xcf\x86\xce\xbf\xcf\x82 \xce\xbf\xce\xb4\xcf\x85\xcf\x83\xcf\x83\xce\xb5\xcf\x85\xcf\x82 test line");
}

TEST(AnalysisErrors, NoSectionWithoutErrors) {
  EXPECT_TRUE(run_debug(R"({"debug": {"errors": [], "log": "INFO: all good\nerror: short"}})").children.empty());
  EXPECT_TRUE(run_debug(R"({"debug": {"errors": [""]}})").children.empty());
}

TEST(AnalysisErrors, OddShapesDoNotBreakIt) {
  // debug.log as a list of lines, a number and a null among the errors, no "log" key at all.
  auto parent = run_debug(R"({"debug": {"errors": [null, 42, ["a", "b"]],
                                         "log": ["ERROR: list line long enough here\n", "x"]}})");
  ASSERT_EQ(parent.children.size(), 1u);
  EXPECT_EQ(parent.children[0]->data.get<std::string>(), "42\nab\nList line long enough here");
  EXPECT_TRUE(run_debug(R"({"debug": {"errors": "not a list"}})").children.empty());
}

TEST(PyStr, LowerCapitalizeStripLength) {
  EXPECT_EQ(py::lower("ABC\xc3\x89"), "abc\xc3\xa9");
  EXPECT_EQ(py::lower("\xc4\xb0"), "i\xcc\x87");  // U+0130 has a two-code-point lower case
  EXPECT_EQ(py::capitalize("\xc3\x9f" "ABC"), "Ssabc");  // title case of sharp s
  EXPECT_EQ(py::capitalize(""), "");
  EXPECT_EQ(py::strip(" \t\xc2\xa0x y\xe3\x80\x80\n"), "x y");
  EXPECT_EQ(py::length("\xc3\xa9t\xc3\xa9"), 3u);
}

TEST(PyStr, IntAndEquality) {
  EXPECT_EQ(py::to_int(json::Value(" 1_000 ")), 1000);
  EXPECT_EQ(py::to_int(json::Value("-7")), -7);
  EXPECT_EQ(py::to_int(json::Value(12.9)), 12);
  EXPECT_EQ(py::to_int(json::Value(true)), 1);
  EXPECT_EQ(py::to_int(json::Value("1.5")), std::nullopt);
  EXPECT_EQ(py::to_int(json::Value("1__0")), std::nullopt);
  EXPECT_EQ(py::to_int(json::Value(nullptr)), std::nullopt);
  EXPECT_TRUE(py::equal(json::Value::parse(R"({"a": 1, "b": [1.0]})"), json::Value::parse(R"({"b": [1], "a": true})")));
  EXPECT_FALSE(py::equal(json::Value("1"), json::Value(1)));
}
