#include "report/json_scan.hpp"
#include "report/stream_reader.hpp"
#include "support/test_paths.hpp"

#include <gtest/gtest.h>

namespace alcape::report {
namespace {

std::string dump_report(const Report& r) {
  json::Value v = json::Value::object();
  v["info"] = r.info;
  v["debug"] = r.debug;
  v["signatures"] = r.signatures;
  v["network"] = r.network;
  v["curtain"] = r.curtain;
  v["cape"] = r.cape;
  v["behavior_fields"] = r.behavior.fields;
  v["has_processes"] = r.behavior.has_processes;
  json::Value procs = json::Value::array();
  for (const auto& p : r.behavior.processes) {
    json::Value pj = json::Value::object();
    pj["fields"] = p.fields;
    json::Value calls = json::Value::array();
    for (const auto& c : p.calls) calls.push_back({c.api, c.category.value_or("<none>"), c.arguments});
    pj["calls"] = calls;
    procs.push_back(pj);
  }
  v["processes"] = procs;
  json::Value sysmon = json::Value::array();
  for (const auto& e : r.sysmon) {
    json::Value d = json::Value::array();
    for (const auto& [n, t] : e.data) d.push_back({n, t});
    sysmon.push_back({e.event_id, d});
  }
  v["sysmon"] = sysmon;
  v["notices"] = r.notices;
  return v.dump();
}

TEST(StreamReader, ReadsEveryBundledReportLikeTheWholeDocumentReader) {
  ReadOptions opts;
  for (const auto& dir : testing::conformance_cases()) {
    std::string text = testing::read_file(dir / "Report" / "reports" / "lite.json");
    auto whole = parse_report(text, opts, "whole");
    auto streamed = read_report_buffer(text.data(), text.size(), opts, "stream");
    ASSERT_TRUE(whole.ok()) << dir;
    ASSERT_TRUE(streamed.ok()) << dir << ": " << streamed.error().describe();
    EXPECT_EQ(dump_report(whole.value()), dump_report(streamed.value())) << dir;
  }
}

TEST(StreamReader, KeepsOnlyWantedCallsOnceEach) {
  std::string text = R"({"behavior": {"processes": [{"process_id": 1, "calls": [
      {"api": "connect", "category": "network", "arguments": [{"name": "ip", "value": "1.2.3.4"}], "id": 1},
      {"api": "connect", "category": "network", "arguments": [{"name": "ip", "value": "1.2.3.4"}], "id": 2},
      {"api": "NtClose", "arguments": []},
      {"api": "connect", "category": "network", "arguments": [{"name": "ip", "value": "5.6.7.8"}]}]}]}})";
  ReadOptions opts;
  opts.keep_call = [](std::string_view api) { return api == "connect"; };
  auto r = read_report_buffer(text.data(), text.size(), opts, "t");
  ASSERT_TRUE(r.ok()) << r.error().describe();
  ASSERT_EQ(r->behavior.processes.size(), 1u);
  const auto& calls = r->behavior.processes[0].calls;
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].arguments[0]["value"], "1.2.3.4");
  EXPECT_EQ(calls[1].arguments[0]["value"], "5.6.7.8");
  EXPECT_EQ(r->behavior.processes[0].fields["process_id"], 1);
}

TEST(StreamReader, RepairsPythonOnlyLiteralsWithANotice) {
  std::string text = R"({"info": {"score": NaN, "name": "a\ud800b"}, "signatures": []})";
  auto r = read_report_buffer(text.data(), text.size(), ReadOptions{}, "t");
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_TRUE(r->info["score"].is_null());
  EXPECT_EQ(r->info["name"], "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(r->notices.size(), 2u);
}

TEST(StreamReader, NamesTheOffsetOfMalformedInput) {
  std::string text = R"({"info": {"id": 1}, "network": {"udp": [1, 2})";
  auto r = read_report_buffer(text.data(), text.size(), ReadOptions{}, "in.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidJson);
  EXPECT_NE(r.error().describe().find("in.json"), std::string::npos);
  EXPECT_NE(r.error().describe().find("byte"), std::string::npos);
}

TEST(StreamReader, RefusesTooDeepAndTooLarge) {
  std::string deep = "{\"info\": " + std::string(100, '[') + std::string(100, ']') + "}";
  ReadOptions opts;
  opts.max_depth = 50;
  auto r = read_report_buffer(deep.data(), deep.size(), opts, "t");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTooDeep);
  opts.max_bytes = 10;
  auto big = read_report_buffer(deep.data(), deep.size(), opts, "t");
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);
}

TEST(StreamReader, TopLevelMustBeAnObject) {
  std::string text = "[1, 2]";
  auto r = read_report_buffer(text.data(), text.size(), ReadOptions{}, "t");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidReport);
}

TEST(JsonScanner, SkipsStringsWithEscapedQuotesAndNestedBrackets) {
  std::string text = R"({"a": "x\"]}\\", "b": [{"c": "]"}, 1.5e3, true]})";
  JsonScanner s(text.data(), text.size());
  std::vector<std::string> keys, values;
  s.object([&](std::string_view k) {
    keys.emplace_back(k);
    values.emplace_back(s.value());
  });
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(values[0], R"("x\"]}\\")");
  EXPECT_EQ(values[1], R"([{"c": "]"}, 1.5e3, true])");
  EXPECT_TRUE(s.at_end());
}

TEST(JsonScanner, DecodesEscapesAndSurrogatePairs) {
  std::string out;
  ASSERT_TRUE(decode_json_string(R"(a\n\u00e9\ud83d\ude00\ud800)", out));
  EXPECT_EQ(out, "a\n\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBD");
}

}  // namespace
}  // namespace alcape::report
