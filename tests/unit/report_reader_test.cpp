// The report reader's input policy (src/report/reader.hpp, docs/input-policy.md) on literal JSON fragments.
#include "report/reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace alcape::report {
namespace {

using json::Value;

StatusOr<Report> parse(std::string_view text, ReadOptions o = {}) { return parse_report(text, o, "test.json"); }

Report parse_ok(std::string_view text, ReadOptions o = {}) {
  auto r = parse(text, o);
  if (!r.ok()) ADD_FAILURE() << r.error().describe();
  return r.ok() ? std::move(r.value()) : Report{};
}

ErrorCode parse_error(std::string_view text, ReadOptions o = {}) {
  auto r = parse(text, o);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? ErrorCode::kInternal : r.error().code;
}

TEST(ReportReader, ReadsTopLevelPartsAndPresence) {
  Report r = parse_ok(R"({"info": {"id": 7}, "debug": null, "CAPE": {"configs": []}, "statistics": [1, 2]})");
  EXPECT_EQ(r.info, Value::parse(R"({"id": 7})"));
  EXPECT_EQ(r.info_p, Presence::kPresent);
  EXPECT_EQ(r.debug_p, Presence::kNull);
  EXPECT_EQ(r.network_p, Presence::kAbsent);
  EXPECT_EQ(r.cape_p, Presence::kPresent);
  EXPECT_TRUE(r.notices.empty());
  EXPECT_GT(r.source_bytes, 0u);
}

TEST(ReportReader, EmptyAndNonJsonAndNonObjectAreRefused) {
  EXPECT_EQ(parse_error(""), ErrorCode::kNotJson);
  EXPECT_EQ(parse_error("  \n "), ErrorCode::kNotJson);
  EXPECT_EQ(parse_error("hello"), ErrorCode::kInvalidJson);
  EXPECT_EQ(parse_error("[1, 2]"), ErrorCode::kInvalidReport);
  EXPECT_EQ(parse_error("42"), ErrorCode::kInvalidReport);
  EXPECT_EQ(parse_error("\"text\""), ErrorCode::kInvalidReport);
}

TEST(ReportReader, SyntaxErrorsNameTheProblemAndOffset) {
  auto r = parse(R"({"info": {"id": 7,, "x": 1}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidJson);
  EXPECT_NE(r.error().message.find("not valid JSON"), std::string::npos) << r.error().message;
  EXPECT_EQ(r.error().context, "test.json");
  EXPECT_EQ(parse_error(R"({"info": {"id": tru}})"), ErrorCode::kInvalidJson);
  EXPECT_EQ(parse_error(R"({"info": {"id": 12abc}})"), ErrorCode::kInvalidJson);
  EXPECT_EQ(parse_error(R"({"info": {"id": 7})"), ErrorCode::kInvalidJson);          // truncated
  EXPECT_EQ(parse_error(R"({"info": "abc)"), ErrorCode::kInvalidJson);               // open string
  EXPECT_EQ(parse_error(R"({"info": 1}{"debug": 2})"), ErrorCode::kInvalidJson);     // two documents
  EXPECT_EQ(parse_error(R"({"info": 1} x)"), ErrorCode::kInvalidJson);               // trailing garbage
}

TEST(ReportReader, TooLargeIsRefusedBeforeParsing) {
  ReadOptions o;
  o.max_bytes = 10;
  auto r = parse(R"({"info": {"id": 7}})", o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTooLarge);
  EXPECT_NE(r.error().message.find("over the limit of 10"), std::string::npos);
}

std::string nested(const std::string& key, int depth) {
  return "{\"" + key + "\": " + std::string(depth, '[') + std::string(depth, ']') + "}";
}

TEST(ReportReader, TooDeepIsRefusedInThePartsRead) {
  ReadOptions o;
  o.max_depth = 10;
  // The top object is level 1, so 9 nested arrays reach 10.
  EXPECT_TRUE(parse(nested("info", 9), o).ok());
  EXPECT_EQ(parse_error(nested("info", 10), o), ErrorCode::kTooDeep);
  EXPECT_EQ(parse_error(R"({"behavior": {"processes": [{"calls": [{"api": "a", "arguments": [[[[[[]]]]]]}]}]}})", o),
            ErrorCode::kTooDeep);
  EXPECT_EQ(parse_error(R"({"sysmon": [{"EventData": {"Data": [{"@Name": "a", "#text": [[[[[[]]]]]]}]}}]})", o),
            ErrorCode::kTooDeep);
  // A key the analysis does not read is skipped without being walked.
  EXPECT_TRUE(parse(nested("statistics", 100), o).ok());
  // The default limit holds a nesting far beyond Python's recursion limit without exhausting the stack.
  EXPECT_EQ(parse_error(nested("info", 100000)), ErrorCode::kTooDeep);
}

TEST(ReportReader, NanAndInfinityBecomeNullWithNotice) {
  Report r = parse_ok(R"({"info": {"a": NaN, "b": Infinity, "c": -Infinity, "d": "NaN"}})");
  EXPECT_EQ(r.info, Value::parse(R"({"a": null, "b": null, "c": null, "d": "NaN"})"));
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0], "3 NaN/Infinity literal(s) in the report were read as null");
}

TEST(ReportReader, LoneSurrogatesBecomeReplacementCharacter) {
  Report r = parse_ok(R"({"info": {"a": "x\ud800y", "b": "\udc00", "c": "\ud83d\ude00"}})");
  EXPECT_EQ(r.info["a"], "x\xEF\xBF\xBDy");
  EXPECT_EQ(r.info["b"], "\xEF\xBF\xBD");
  EXPECT_EQ(r.info["c"], "\xF0\x9F\x98\x80");  // a valid pair stays
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_NE(r.notices[0].find("2 unpaired UTF-16 surrogate"), std::string::npos);
}

TEST(ReportReader, InvalidUtf8IsReplacedWithNotice) {
  Report r = parse_ok("{\"info\": {\"a\": \"caf\xe9 \xff\xfe ok\", \"\xc3\xa9t\xc3\xa9\": 1}}");
  EXPECT_EQ(r.info["a"], "caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD ok");
  EXPECT_EQ(r.info["\xc3\xa9t\xc3\xa9"], 1);  // valid UTF-8 is untouched
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0], "3 invalid UTF-8 byte(s) in the report were read as U+FFFD");
}

TEST(ReportReader, SeveralRepairsGiveNoticesInAFixedOrder) {
  Report r = parse_ok("{\"info\": {\"a\": NaN, \"b\": \"\\ud800\", \"c\": \"\xff\"}}");
  ASSERT_EQ(r.notices.size(), 3u);
  EXPECT_NE(r.notices[0].find("NaN"), std::string::npos);
  EXPECT_NE(r.notices[1].find("surrogate"), std::string::npos);
  EXPECT_NE(r.notices[2].find("UTF-8"), std::string::npos);
}

TEST(ReportReader, DuplicateKeysKeepLastValueAtFirstPosition) {
  Report r = parse_ok(R"({"info": {"a": 1, "b": 2, "a": 3}, "info": {"x": 1, "y": 2, "x": 5},
                          "behavior": {"processes": [{"process_id": 1}]},
                          "behavior": {"processes": [{"process_id": 2}], "processtree": []},
                          "sysmon": [{"System": {"EventID": 1}}], "sysmon": null})");
  EXPECT_EQ(r.info.dump(), R"({"x":5,"y":2})");
  ASSERT_EQ(r.behavior.processes.size(), 1u);
  EXPECT_EQ(r.behavior.processes[0].fields["process_id"], 2);
  EXPECT_TRUE(r.sysmon.empty());
  EXPECT_EQ(r.sysmon_p, Presence::kNull);
  Report q = parse_ok(R"({"behavior": {"processes": [{"calls": [{"api": "A"}], "calls": [{"api": "B"}]}]}})");
  ASSERT_EQ(q.behavior.processes[0].calls.size(), 1u);
  EXPECT_EQ(q.behavior.processes[0].calls[0].api, "B");
}

TEST(ReportReader, HugeNumbers) {
  Report r = parse_ok(R"({"info": {"u": 18446744073709551615, "i": -9223372036854775808,
                                   "big": 123456789012345678901234567890, "neg": -99999999999999999999,
                                   "f": 1.5e300, "over": 1e400}})");
  EXPECT_TRUE(r.info["u"].is_number_unsigned());
  EXPECT_EQ(r.info["u"].get<uint64_t>(), 18446744073709551615ull);
  EXPECT_EQ(r.info["i"].get<int64_t>(), INT64_MIN);
  EXPECT_TRUE(r.info["big"].is_number_float());
  EXPECT_DOUBLE_EQ(r.info["big"].get<double>(), 1.2345678901234568e29);
  EXPECT_TRUE(r.info["neg"].is_number_float());
  EXPECT_DOUBLE_EQ(r.info["f"].get<double>(), 1.5e300);
  EXPECT_TRUE(r.info["over"].is_null());
  ASSERT_EQ(r.notices.size(), 2u);
  EXPECT_EQ(r.notices[0], "2 integer(s) beyond 64 bits in the report were read as floating-point numbers");
  EXPECT_EQ(r.notices[1], "1 number(s) beyond the floating-point range in the report were read as null");
}

constexpr const char* kCalls = R"({"behavior": {"processes": [{"process_id": 4, "calls": [
  {"api": "send", "category": "network", "arguments": [{"name": "buffer", "value": "a"}], "id": 1},
  {"api": "send", "category": "network", "arguments": [{"name": "buffer", "value": "a"}], "id": 2},
  {"api": "send", "category": "network", "arguments": [{"name": "buffer", "value": "b"}]},
  {"api": "send", "arguments": [{"name": "buffer", "value": "a"}]},
  {"api": "NtDelayExecution", "category": "system", "arguments": [{"name": "ms", "value": NaN}]},
  {"category": "network", "arguments": []},
  {"api": 5},
  7
]}]}})";

TEST(ReportReader, CallsAreDedupedPerProcess) {
  Report r = parse_ok(kCalls);
  ASSERT_EQ(r.behavior.processes.size(), 1u);
  const Process& p = r.behavior.processes[0];
  EXPECT_TRUE(p.has_calls);
  EXPECT_FALSE(p.fields.contains("calls"));
  EXPECT_EQ(p.fields["process_id"], 4);
  ASSERT_EQ(p.calls.size(), 4u);  // two identical sends are one; no api -> skipped
  EXPECT_EQ(p.calls[0].arguments, Value::parse(R"([{"name": "buffer", "value": "a"}])"));
  EXPECT_EQ(p.calls[1].arguments[0]["value"], "b");
  EXPECT_FALSE(p.calls[2].category.has_value());
  EXPECT_EQ(p.calls[3].api, "NtDelayExecution");
}

TEST(ReportReader, KeepCallFilterDropsCallsBeforeConvertingThem) {
  ReadOptions o;
  o.keep_call = [](std::string_view api) { return api == "send"; };
  Report r = parse_ok(kCalls, o);
  ASSERT_EQ(r.behavior.processes[0].calls.size(), 3u);
  for (const auto& c : r.behavior.processes[0].calls) EXPECT_EQ(c.api, "send");
  // The dropped call's arguments (with their NaN) were never converted, so nothing needed a repair.
  EXPECT_TRUE(r.notices.empty());
  // Without the filter the NaN is read, repaired and noticed.
  EXPECT_EQ(parse_ok(kCalls).notices.size(), 1u);
}

TEST(ReportReader, BehaviorShapes) {
  Report none = parse_ok(R"({"behavior": {"processtree": [], "summary": {}}})");
  EXPECT_EQ(none.behavior_p, Presence::kPresent);
  EXPECT_FALSE(none.behavior.has_processes);
  EXPECT_TRUE(none.behavior.processes.empty());
  EXPECT_EQ(none.behavior.fields, Value::parse(R"({"processtree": [], "summary": {}})"));
  EXPECT_TRUE(none.notices.empty());

  Report null_b = parse_ok(R"({"behavior": null})");
  EXPECT_EQ(null_b.behavior_p, Presence::kNull);

  Report not_list = parse_ok(R"({"behavior": {"processes": {"a": 1}}})");
  EXPECT_FALSE(not_list.behavior.has_processes);
  EXPECT_EQ(not_list.behavior.fields["processes"], Value::parse(R"({"a": 1})"));

  Report odd = parse_ok(R"({"behavior": {"processes": [1, {"process_id": 3, "calls": "x"}, null]}})");
  ASSERT_EQ(odd.behavior.processes.size(), 1u);
  EXPECT_FALSE(odd.behavior.processes[0].has_calls);
  EXPECT_EQ(odd.behavior.processes[0].fields["calls"], "x");
  ASSERT_EQ(odd.notices.size(), 1u);
  EXPECT_EQ(odd.notices[0], "2 behavior.processes entries are not a JSON object and were skipped");

  Report not_obj = parse_ok(R"({"behavior": [1]})");
  EXPECT_EQ(not_obj.behavior_p, Presence::kPresent);
  ASSERT_EQ(not_obj.notices.size(), 1u);
  EXPECT_NE(not_obj.notices[0].find("behavior is not an object"), std::string::npos);
}

constexpr const char* kSysmon = R"({"sysmon": [
  {"System": {"EventID": 1}, "EventData": {"Data": [{"@Name": "Image", "#text": "a.exe"},
                                                    {"@Name": "Hashes", "#text": "x"}, {"@Name": "NoText"}, {"#text": 1}]}},
  {"System": {"EventID": "3"}, "EventData": {"Data": {"@Name": "DestinationIp", "#text": "1.2.3.4"}}},
  {"System": {"EventID": 4}},
  {"System": {}},
  {"EventData": {}},
  "junk"
]})";

TEST(ReportReader, SysmonEventsAndFilters) {
  Report all = parse_ok(kSysmon);
  EXPECT_EQ(all.sysmon_p, Presence::kPresent);
  ASSERT_EQ(all.sysmon.size(), 3u);  // events without System.EventID are dropped
  EXPECT_EQ(all.sysmon[0].event_id, 1);
  ASSERT_EQ(all.sysmon[0].data.size(), 3u);
  EXPECT_EQ(all.sysmon[0].data[0], (std::pair<std::string, Value>{"Image", "a.exe"}));
  EXPECT_TRUE(all.sysmon[0].data[2].second.is_null());
  EXPECT_EQ(all.sysmon[1].event_id, "3");
  ASSERT_EQ(all.sysmon[1].data.size(), 1u);  // a single Data object instead of a list

  ReadOptions o;
  o.keep_sysmon_event = [](int id) { return id == 1 || id == 3; };
  o.keep_sysmon_field = [](std::string_view lower) { return lower == "image" || lower == "destinationip"; };
  Report some = parse_ok(kSysmon, o);
  ASSERT_EQ(some.sysmon.size(), 2u);
  ASSERT_EQ(some.sysmon[0].data.size(), 1u);
  EXPECT_EQ(some.sysmon[0].data[0].first, "Image");
  EXPECT_EQ(some.sysmon[1].data[0].first, "DestinationIp");
}

TEST(ReportReader, SysmonNullOrNotAList) {
  Report n = parse_ok(R"({"sysmon": null})");
  EXPECT_EQ(n.sysmon_p, Presence::kNull);
  EXPECT_TRUE(n.sysmon.empty());
  Report o = parse_ok(R"({"sysmon": {"a": 1}})");
  EXPECT_EQ(o.sysmon_p, Presence::kPresent);
  EXPECT_EQ(o.sysmon_raw, Value::parse(R"({"a": 1})"));
  Report absent = parse_ok(R"({})");
  EXPECT_EQ(absent.sysmon_p, Presence::kAbsent);
}

}  // namespace
}  // namespace alcape::report
