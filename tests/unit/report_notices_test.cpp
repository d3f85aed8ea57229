// Report Reading Notices: the reader's repairs reach the analyst, and clean reports get no extra section.
#include "analysis/context.hpp"
#include "analysis/stages/report_notices.hpp"
#include "report/reader.hpp"

#include <gtest/gtest.h>

namespace alcape::analysis {
namespace {

TEST(ReportNoticesStage, CleanReportAddsNothing) {
  report::Report r;
  ParserParams params;
  AnalysisContext ctx(r, params);
  result::Section parent("Parent");
  add_report_notices(ctx, parent);
  EXPECT_TRUE(parent.children.empty());
}

TEST(ReportNoticesStage, RepairedReportGetsOneLinePerNotice) {
  auto rep = report::parse_report("{\"info\": {\"duration\": NaN}, \"signatures\": [\"\\ud800\"]}",
                                  report::ReadOptions{}, "test");
  ASSERT_TRUE(rep.ok()) << rep.error().describe();
  ASSERT_EQ(rep->notices.size(), 2u);
  ParserParams params;
  AnalysisContext ctx(rep.value(), params);
  result::Section parent("Parent");
  parent.add_child("Analysis Information", result::BodyFormat::KeyValue);
  add_report_notices(ctx, parent);
  ASSERT_EQ(parent.children.size(), 2u);
  const result::Section& s = *parent.children.back();
  EXPECT_EQ(s.title, "Report Reading Notices");
  EXPECT_EQ(s.format, result::BodyFormat::Text);
  EXPECT_EQ(*s.body_text(), rep->notices[0] + "\n" + rep->notices[1]);
  EXPECT_FALSE(s.heuristic.has_value());
  EXPECT_TRUE(s.tags.empty());
}

}  // namespace
}  // namespace alcape::analysis
