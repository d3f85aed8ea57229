#include "report/json_scan.hpp"
#include "report/stream_reader.hpp"
#include "support/test_paths.hpp"

#include <gtest/gtest.h>

#include <set>

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

// The same model built from nlohmann's parse of the whole document: an independent oracle for the stream reader
// (no filters, so every call with a string api is kept once per (api, category, arguments)).
std::string dump_whole_document(const json::Value& doc) {
  auto part = [&](const char* k) { return doc.contains(k) ? doc[k] : json::Value(); };
  json::Value v = json::Value::object();
  v["info"] = part("info");
  v["debug"] = part("debug");
  v["signatures"] = part("signatures");
  v["network"] = part("network");
  v["curtain"] = part("curtain");
  v["cape"] = part("CAPE");
  json::Value behavior = part("behavior");
  json::Value fields = json::Value::object();
  json::Value procs = json::Value::array();
  bool has_processes = false;
  if (behavior.is_object()) {
    for (auto it = behavior.begin(); it != behavior.end(); ++it) {
      if (it.key() == "processes" && it.value().is_array()) {
        has_processes = true;
        for (const auto& p : it.value()) {
          json::Value pj = json::Value::object();
          json::Value pf = json::Value::object();
          json::Value calls = json::Value::array();
          std::set<std::string> seen;
          for (auto f = p.begin(); f != p.end(); ++f) {
            if (f.key() != "calls" || !f.value().is_array()) {
              pf[f.key()] = f.value();
              continue;
            }
            for (const auto& c : f.value()) {
              if (!c.contains("api") || !c["api"].is_string()) continue;
              std::string cat = c.contains("category") && c["category"].is_string() ? c["category"].get<std::string>()
                                                                                     : "<none>";
              json::Value args = c.contains("arguments") ? c["arguments"] : json::Value();
              if (!seen.insert(c["api"].get<std::string>() + '\0' + cat + '\0' + args.dump()).second) continue;
              calls.push_back({c["api"], cat, args});
            }
          }
          pj["fields"] = pf;
          pj["calls"] = calls;
          procs.push_back(pj);
        }
      } else {
        fields[it.key()] = it.value();
      }
    }
  }
  v["behavior_fields"] = fields;
  v["has_processes"] = has_processes;
  v["processes"] = procs;
  json::Value sysmon = json::Value::array();
  if (part("sysmon").is_array()) {
    for (const auto& e : doc["sysmon"]) {
      const json::Value* id = json::find(json::get(e, "System"), "EventID");
      if (!id) continue;
      json::Value d = json::Value::array();
      json::Value data = json::get(json::get(e, "EventData"), "Data");
      if (data.is_object()) data = json::Value::array({data});
      if (data.is_array())
        for (const auto& item : data)
          if (json::get(item, "@Name").is_string()) d.push_back({item["@Name"], json::get(item, "#text")});
      sysmon.push_back({*id, d});
    }
  }
  v["sysmon"] = sysmon;
  v["notices"] = json::Value::array();
  return v.dump();
}

TEST(StreamReader, ReadsEveryBundledReportLikeAWholeDocumentParser) {
  ReadOptions opts;
  for (const auto& dir : testing::conformance_cases()) {
    std::string text = testing::read_file(dir / "Report" / "reports" / "lite.json");
    auto streamed = read_report_buffer(text.data(), text.size(), opts, "stream");
    ASSERT_TRUE(streamed.ok()) << dir << ": " << streamed.error().describe();
    EXPECT_EQ(dump_report(streamed.value()), dump_whole_document(json::Value::parse(text))) << dir;
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
