// Expected groups come from the reference's own process_sysmon (cape_result.py at ddc) run on the same events.
#include "analysis/analyze.hpp"
#include "analysis/context.hpp"
#include "analysis/stages/sysmon.hpp"
#include "analysis/time_format.hpp"

#include <gtest/gtest.h>

using namespace alcape;
using namespace alcape::analysis;

namespace {

json::Value parsed_sysmon_of(std::string_view events_json, const ParserParams& params = ParserParams()) {
  std::string text = std::string(R"({"sysmon": )") + std::string(events_json) + "}";
  auto r = report::parse_report(text, analysis_read_options(), "test");
  EXPECT_TRUE(r.ok());
  AnalysisContext ctx(*r, params);
  parse_sysmon(ctx);
  return ctx.parsed_sysmon;
}

constexpr std::string_view kEvents = R"sy([
 {"System": {"EventID": "5"}, "EventData": {"Data": [{"@Name": "RuleName", "#text": "-"}, {"@Name": "UtcTime", "#text": "2026-03-16 08:17:15.500"}, {"@Name": "ProcessGuid", "#text": "{G-6140}"}, {"@Name": "ProcessId", "#text": "6140"}, {"@Name": "Image", "#text": "C:\\ps.exe"}, {"@Name": "User", "#text": "u"}]}},
 {"System": {"EventID": "3"}, "EventData": {"Data": [{"@Name": "UtcTime", "#text": "2026-03-16 08:16:00.100"}, {"@Name": "ProcessGuid", "#text": "{G-6140}"}, {"@Name": "ProcessId", "#text": "6140"}, {"@Name": "Image", "#text": "C:\\ps.exe"}, {"@Name": "Protocol", "#text": "TCP"}, {"@Name": "SourceIp", "#text": "10.0.0.5"}, {"@Name": "SourcePort", "#text": "49700"}, {"@Name": "DestinationIp", "#text": "192.0.2.9"}, {"@Name": "DestinationPort", "#text": "443"}]}},
 {"System": {"EventID": "3"}, "EventData": {"Data": [{"@Name": "UtcTime", "#text": "2026-03-16 08:16:00.100"}, {"@Name": "ProcessGuid", "#text": "{G-9999}"}, {"@Name": "ProcessId", "#text": "9999"}, {"@Name": "Image", "#text": "C:\\o.exe"}, {"@Name": "Protocol", "#text": "tcp"}, {"@Name": "SourceIp", "#text": "10.0.0.5"}, {"@Name": "SourcePort", "#text": "49701"}, {"@Name": "DestinationIp", "#text": "192.0.2.9"}, {"@Name": "DestinationPort", "#text": "443"}]}},
 {"System": {"EventID": "22"}, "EventData": {"Data": [{"@Name": "RuleName", "#text": null}, {"@Name": "UtcTime", "#text": "2026-03-16 08:15:59.000"}, {"@Name": "ProcessGuid", "#text": "{G-6140}"}, {"@Name": "ProcessId", "#text": "6140"}, {"@Name": "QueryName", "#text": "login.example.com"}, {"@Name": "QueryStatus", "#text": "0"}, {"@Name": "QueryResults", "#text": "type:  5 edge.example.net;::ffff:192.0.2.14;2001:db8:85a3::8a2e:370:7334;"}, {"@Name": "Image", "#text": "C:\\ps.exe"}]}},
 {"System": {"EventID": "1"}, "EventData": {"Data": [{"@Name": "RuleName", "#text": "-"}, {"@Name": "UtcTime", "#text": "2026-03-16 08:15:41.250"}, {"@Name": "ProcessGuid", "#text": "{G-6140}"}, {"@Name": "ProcessId", "#text": "6140"}, {"@Name": "Image", "#text": "C:\\ps.exe"}, {"@Name": "OriginalFileName", "#text": "PowerShell.EXE"}, {"@Name": "CommandLine", "#text": "powershell -enc AAAA"}, {"@Name": "IntegrityLevel", "#text": "High"}, {"@Name": "Hashes", "#text": "SHA256=ABCD"}, {"@Name": "ParentProcessGuid", "#text": "{G-1}"}, {"@Name": "ParentProcessId", "#text": "1"}, {"@Name": "ParentImage", "#text": "C:\\cmd.exe"}, {"@Name": "ParentCommandLine", "#text": "cmd /c x"}]}},
 {"System": {"EventID": "1"}, "EventData": {"Data": [{"@Name": "UtcTime", "#text": "2026-03-16 08:15:45.000"}, {"@Name": "ProcessGuid", "#text": "{G-7340-B}"}, {"@Name": "ProcessId", "#text": "7340"}, {"@Name": "Image", "#text": "/usr/bin/x (deleted)"}, {"@Name": "Hashes", "#text": "MD5=1,SHA256=2"}]}},
 {"System": {"EventID": "5"}, "EventData": {"Data": [{"@Name": "UtcTime", "#text": "2026-03-16 08:15:44.000"}, {"@Name": "ProcessGuid", "#text": "{G-7340-A}"}, {"@Name": "ProcessId", "#text": "7340"}, {"@Name": "Image", "#text": "C:\\r.exe"}]}},
 {"System": {"EventID": "1"}, "EventData": {"Data": [{"@Name": "UtcTime", "#text": "2026-03-16 08:15:43.000"}, {"@Name": "ProcessGuid", "#text": "{G-7340-A}"}, {"@Name": "ProcessId", "#text": "7340"}, {"@Name": "Image", "#text": "C:\\r.exe"}, {"@Name": "Hashes", "#text": "SHA1=5=6"}]}},
 {"System": {"EventID": "1"}, "EventData": {"Data": [{"@Name": "UtcTime", "#text": "2026-03-16 08:15:42.000"}, {"@Name": "ProcessId", "#text": "42"}, {"@Name": "Image", "#text": "C:\\noguid.exe"}]}},
 {"System": {"EventID": "1"}, "EventData": {"Data": [{"@Name": "UtcTime", "#text": "2026-03-16 08:15:42.000"}, {"@Name": "ProcessGuid", "#text": "{G-0}"}, {"@Name": "ProcessId", "#text": "0"}, {"@Name": "Image", "#text": "C:\\zero.exe"}]}},
 {"System": {"EventID": "10"}, "EventData": {"Data": [{"@Name": "UtcTime", "#text": "2026-03-16 08:15:42.000"}, {"@Name": "SourceProcessGUID", "#text": "{G-6140}"}, {"@Name": "SourceProcessId", "#text": "6140"}, {"@Name": "TargetProcessGUID", "#text": "{G-1}"}, {"@Name": "TargetProcessId", "#text": "1"}, {"@Name": "TargetImage", "#text": "C:\\cmd.exe"}]}}
])sy";
constexpr std::string_view kReferenceGroups = R"sy({"6140": [{"safelisted": false, "start_time": "1-01-01 00:00:00.000000", "end_time": "2026-03-16 08:17:15.500", "guid": "{G-6140}", "pid": 6140, "image": "C:\\ps.exe", "event_id": 5}, {"src": "10.0.0.5", "dst": "192.0.2.9", "time": "2026-03-16 08:16:00.100", "dport": 443, "sport": 49700, "guid": "{G-6140}", "pid": 6140, "image": "C:\\ps.exe", "event_id": 3}, {"request": "login.example.com", "answers": [{"data": "edge.example.net", "type": "CNAME"}, {"data": "192.0.2.14", "type": "A"}, {"data": "2001:db8:85a3::", "type": "A"}], "first_seen": "2026-03-16 08:15:59.000", "guid": "{G-6140}", "pid": 6140, "image": "C:\\ps.exe", "event_id": 22}, {"safelisted": false, "start_time": "2026-03-16 08:15:41.250", "guid": "{G-6140}", "pid": 6140, "image": "C:\\ps.exe", "original_file_name": "PowerShell.EXE", "command_line": "powershell -enc AAAA", "integrity_level": "High", "image_hash": "ABCD", "pguid": "{G-1}", "ppid": 1, "pcommand_line": "cmd /c x", "event_id": 1}], "7340": [{"safelisted": false, "start_time": "2026-03-16 08:15:45.000", "guid": "{G-7340-B}", "pid": 7340, "image": "/usr/bin/x", "event_id": 1}], "7340-->{G-7340-A}": [{"safelisted": false, "start_time": "1-01-01 00:00:00.000000", "end_time": "2026-03-16 08:15:44.000", "guid": "{G-7340-A}", "pid": 7340, "image": "C:\\r.exe", "event_id": 5}, {"safelisted": false, "start_time": "2026-03-16 08:15:43.000", "guid": "{G-7340-A}", "pid": 7340, "image": "C:\\r.exe", "event_id": 1}]})sy";

std::string create_event(std::string_view pid, std::string_view guid, std::string_view utc, std::string_view extra = "") {
  return std::string(R"({"System": {"EventID": 1}, "EventData": {"Data": [{"@Name": "UtcTime", "#text": ")") +
         std::string(utc) + R"("}, {"@Name": "ProcessGuid", "#text": ")" + std::string(guid) +
         R"("}, {"@Name": "ProcessId", "#text": ")" + std::string(pid) +
         R"("}, {"@Name": "Image", "#text": "C:\\p.exe"})" + std::string(extra) + "]}}";
}

}  // namespace

// Creation/termination dicts and their key order, MIN_TIME starts of terminations, pid reuse with a second GUID,
// network (EventID 3) and DNS (EventID 22) events joining their process, orphans and incomplete events dropped,
// " (deleted)" images, Hashes with one or several "=".
TEST(Sysmon, EqualsTheReferenceGroups) {
  EXPECT_EQ(parsed_sysmon_of(kEvents), json::Value::parse(kReferenceGroups));
}

TEST(Sysmon, NullWithoutEvents) {
  EXPECT_TRUE(parsed_sysmon_of("[]").is_null());
  EXPECT_TRUE(parsed_sysmon_of("null").is_null());
  // Only unused event types: the reference returns {}, which every consumer treats like None.
  json::Value v = parsed_sysmon_of(R"([{"System": {"EventID": "7"}, "EventData": {"Data": []}}])");
  EXPECT_TRUE(v.is_null() || v.empty());
}

TEST(Sysmon, UnreadableValuesDropTheEvent) {
  // The reference raises ValueError on each of these; al-cape drops the event.
  json::Value v = parsed_sysmon_of("[" + create_event("12", "{A}", "2026-03-16 08:15:42") + "," +
                                   create_event("x13", "{B}", "2026-03-16 08:15:42.000") + "," +
                                   create_event("14", "{C}", "2026-03-16 08:15:42.000", R"(, {"@Name": "Image"})") + "]");
  ASSERT_TRUE(v.is_object());
  EXPECT_EQ(v.size(), 1u);
  EXPECT_TRUE(v.contains("14"));  // a later Image without text is ignored, the first one stays
  EXPECT_EQ(v["14"][0]["image"], "C:\\p.exe");
}

TEST(Sysmon, EventIdsInPythonIntForm) {
  json::Value v = parsed_sysmon_of("[" + create_event("15", "{A}", "2026-03-16 08:15:42.000") + "]");
  ASSERT_TRUE(v.contains("15"));
  EXPECT_EQ(v["15"][0]["event_id"], 1);
  std::string spaced = create_event("16", "{B}", "2026-03-16 08:15:42.000");
  spaced.replace(spaced.find(R"("EventID": 1)"), 12, R"("EventID": " 1 ")");
  EXPECT_TRUE(parsed_sysmon_of("[" + spaced + "]").contains("16"));
}

TEST(Sysmon, UnknownDnsRecordTypeIsSkipped) {
  // The reference raises KeyError on a type outside its table (here SRV = 33).
  json::Value v = parsed_sysmon_of("[" + create_event("20", "{A}", "2026-03-16 08:15:42.000") + R"(,
    {"System": {"EventID": 22}, "EventData": {"Data": [{"@Name": "UtcTime", "#text": "2026-03-16 08:15:43.000"},
     {"@Name": "ProcessGuid", "#text": "{A}"}, {"@Name": "ProcessId", "#text": "20"},
     {"@Name": "QueryName", "#text": "_ldap._tcp.example.com"},
     {"@Name": "QueryResults", "#text": "type:  33 dc1.example.com;type:  28 2001:db8::1;192.0.2.7;"},
     {"@Name": "Image", "#text": "C:\\p.exe"}]}}])");
  ASSERT_EQ(v["20"].size(), 2u);
  // IP_REGEX stops at "2001:db8::" (its alternatives are tried in order, as in Python).
  EXPECT_EQ(v["20"][1]["answers"], json::Value::parse(R"([{"data": "2001:db8::", "type": "AAAA"},
                                                          {"data": "192.0.2.7", "type": "A"}])"));
}

TEST(Sysmon, SafelistedFlagOnlySurvivesAsLastField) {
  SafelistData data;
  data.match["dynamic.process.command_line"] = {"C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"};
  data.match["dynamic.process.file_name"] = {"C:\\safe.exe"};
  ParserParams params;
  params.safelist = std::make_shared<Safelist>(std::move(data));
  if (!params.safelist->is_tag_safelisted("C:\\safe.exe", "dynamic.process.file_name"))
    GTEST_SKIP() << "the tagging module's safelist is not merged yet";
  const std::string cmd = R"(, {"@Name": "CommandLine", "#text": "C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"})";
  json::Value v = parsed_sysmon_of("[" + create_event("30", "{A}", "2026-03-16 08:15:42.000", cmd + R"(, {"@Name": "User", "#text": "u"})") +
                                   "," + create_event("31", "{B}", "2026-03-16 08:15:42.000", cmd) + "]",
                                   params);
  EXPECT_FALSE(v["30"][0].contains("command_line"));
  EXPECT_EQ(v["30"][0]["safelisted"], false);  // reset by the User field that follows (reference quirk)
  EXPECT_EQ(v["31"][0]["safelisted"], true);
  std::string safe_image = create_event("32", "{C}", "2026-03-16 08:15:42.000");
  const std::string from = "C:\\\\p.exe";
  safe_image.replace(safe_image.find(from), from.size(), "C:\\\\safe.exe");
  EXPECT_FALSE(parsed_sysmon_of("[" + safe_image + "]", params).contains("32"));  // no image: dropped
}

TEST(Sysmon, ReaderKeepsOnlyWhatTheParserUses) {
  for (int id : {1, 3, 5, 22, -1}) EXPECT_TRUE(is_sysmon_event_of_interest(id)) << id;
  for (int id : {2, 7, 8, 9, 10, 11, 12, 13, 255}) EXPECT_FALSE(is_sysmon_event_of_interest(id)) << id;
  EXPECT_TRUE(is_sysmon_field_of_interest("user"));  // any field can reset the safelisted flag
}
