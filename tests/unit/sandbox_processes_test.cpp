// build_sandbox_sections, process part: sysmon and capemon processes, the Processes section data and body, the
// tree heuristic and the section order (reference-behaviour.md §5.7).
#include "analysis/context.hpp"
#include "analysis/stages/sandbox.hpp"

#include <gtest/gtest.h>

namespace ont = alcape::analysis::ontology;
using alcape::json::Value;
using namespace alcape;

namespace {

struct Stage {
  report::Report report;
  analysis::ParserParams params = analysis::default_params();
  analysis::AnalysisContext ctx{report, params};
  result::Section parent{"Parent"};

  explicit Stage(bool with_sandbox = true) {
    if (!with_sandbox) return;
    ont::ObjectIDFields f;
    f.session = ctx.ontology.create_session();
    ont::AnalysisMetadata m;
    m.start_time = "2026-01-01 10:00:00.000";
    m.end_time = "2026-01-01 10:05:00.000";
    m.task_id = 7;
    m.routing = "inetsim";
    ctx.ontology.add_sandbox(
        ctx.ontology.create_sandbox(ctx.ontology.create_objectid("CAPE", "sandbox_x", f), "CAPE", m, "2.5"));
  }

  void run() { analysis::build_sandbox_sections(ctx, parent); }
  const Value& processes() const { return ctx.process_events["processes"]; }
};

Value sysmon_create(int pid, int ppid, const std::string& guid, const std::string& image, const std::string& start,
                    const std::string& cmd = "x") {
  Value e = Value::object();
  e["safelisted"] = false;
  e["start_time"] = start;
  e["guid"] = guid;
  e["pid"] = pid;
  e["image"] = image;
  e["command_line"] = cmd;
  e["ppid"] = ppid;
  e["event_id"] = 1;
  return e;
}

Value sysmon_end(int pid, const std::string& guid, const std::string& end) {
  Value e = Value::object();
  e["safelisted"] = false;
  e["start_time"] = "0001-01-01 00:00:00.000000";
  e["end_time"] = end;
  e["guid"] = guid;
  e["pid"] = pid;
  e["image"] = "C:\\x.exe";
  e["event_id"] = 5;
  return e;
}

Value capemon_process(const std::string& image, int ppid, const std::string& start) {
  Value p = Value::parse(R"({"name": "a.exe", "ppid": )" + std::to_string(ppid) + R"(, "start_time": ")" + start +
                      R"(", "command_line": "a.exe", "network_calls": [], "loaded_modules": [
      {"object": "DLL", "arguments": {"DLLName": "kernel32.dll"}}, {"object": "Function", "arguments": {"FunctionName": "f"}},
      {"object": "DLL", "arguments": {"DLLName": "kernel32.dll"}}],
      "services_events": [{"arguments": {"Service": "svc"}}], "file_events": [1, 2], "registry_events": [1]})");
  p["image"] = image;
  return p;
}

}  // namespace

TEST(SandboxProcesses, NothingWithoutSandbox) {
  Stage s(false);
  s.run();
  EXPECT_TRUE(s.parent.children.empty());
}

TEST(SandboxProcesses, SysmonThenCapemonProcessesWithSourcesAndCounts) {
  Stage s;
  s.ctx.process_map = Value::object();
  s.ctx.process_map["100"] = capemon_process("C:\\Users\\u\\AppData\\Local\\Temp\\a.exe", 4, "2026-01-01 10:00:01.000");
  s.ctx.process_map["300"] = capemon_process("C:\\Users\\u\\AppData\\Local\\Temp\\b.exe", 100, "2026-01-01 10:00:03.000");
  s.ctx.parsed_sysmon = Value::object();
  s.ctx.parsed_sysmon["200"] = Value::array({sysmon_create(200, 4, "{AAAAAAAA-0000-0000-0000-000000000002}",
                                                           "C:\\Windows\\System32\\svchost.exe", "2026-01-01 10:00:02.000")});
  s.ctx.parsed_sysmon["100"] = Value::array({sysmon_end(100, "{AAAAAAAA-0000-0000-0000-000000000001}",
                                                        "2026-01-01 10:00:09.000"),
                                             sysmon_create(100, 4, "{AAAAAAAA-0000-0000-0000-000000000001}",
                                                           "C:\\Users\\u\\AppData\\Local\\Temp\\a.exe",
                                                           "2026-01-01 10:00:01.000")});
  s.run();
  const Value& p = s.processes();
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0]["pid"], 200);
  EXPECT_EQ(p[0]["sources"], Value::parse(R"(["sysmon"])"));
  EXPECT_FALSE(p[0].contains("file_count"));
  EXPECT_EQ(p[1]["pid"], 100);
  EXPECT_EQ(p[1]["sources"], Value::parse(R"(["capemon", "sysmon"])"));
  EXPECT_EQ(p[1]["end_time"], "2026-01-01 10:00:09.000");  // termination seen before the creation
  EXPECT_EQ(p[1]["file_count"], 2);
  EXPECT_EQ(p[1]["registry_count"], 1);
  EXPECT_EQ(p[2]["pid"], 300);
  EXPECT_EQ(p[2]["sources"], Value::parse(R"(["capemon"])"));
  EXPECT_EQ(p[2]["end_time"], "-");
  // Key order of the section dicts (Section.json).
  std::string keys;
  for (auto it = p[2].begin(); it != p[2].end(); ++it) keys += it.key() + ",";
  EXPECT_EQ(keys,
            "image,start_time,ppid,pid,command_line,end_time,integrity_level,image_hash,original_file_name,"
            "safelisted,file_count,registry_count,sources,");
  // Ontology: services/modules on the monitored processes, capemon-only process linked to its parent.
  auto a = s.ctx.ontology.get_process_by_pid(100);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->loaded_modules, (std::vector<std::string>{"kernel32.dll", "f"}));
  EXPECT_EQ(a->services_involved, std::vector<std::string>{"svc"});
  auto b = s.ctx.ontology.get_process_by_pid(300);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->pobjectid, a->objectid);
}

TEST(SandboxProcesses, LongCommandLineIsShortenedNotDropped) {
  Stage s;
  s.ctx.parsed_sysmon = Value::object();
  const std::string cmd = "powershell -enc " + std::string(2000, 'A');
  s.ctx.parsed_sysmon["100"] = Value::array({sysmon_create(100, 4, "{AAAAAAAA-0000-0000-0000-000000000001}",
                                                           "C:\\Windows\\System32\\cmd.exe", "2026-01-01 10:00:01.000",
                                                           cmd)});
  s.run();
  ASSERT_EQ(s.processes().size(), 1u);
  const std::string shown = s.processes()[0]["command_line"].get<std::string>();
  EXPECT_EQ(shown.size(), 1024u);
  EXPECT_EQ(shown.substr(1021), "...");
  EXPECT_EQ(shown.substr(0, 1021), cmd.substr(0, 1021));
  EXPECT_EQ(s.ctx.ontology.processes()[0]->command_line, cmd);  // the ontology keeps it whole
}

TEST(SandboxProcesses, TerminationEndsOnlyItsOwnGuidGroup) {
  Stage s;
  s.ctx.parsed_sysmon = Value::object();
  const std::string g1 = "{AAAAAAAA-0000-0000-0000-000000000001}", g2 = "{AAAAAAAA-0000-0000-0000-000000000002}";
  s.ctx.parsed_sysmon["7340"] =
      Value::array({sysmon_create(7340, 4, g1, "C:\\Windows\\System32\\rundll32.exe", "2026-01-01 10:00:01.000")});
  s.ctx.parsed_sysmon["7340-->" + g2] =
      Value::array({sysmon_create(7340, 4, g2, "C:\\Windows\\System32\\rundll32.exe", "2026-01-01 10:00:05.000"),
                    sysmon_end(7340, g2, "2026-01-01 10:00:06.000")});
  s.run();
  ASSERT_EQ(s.processes().size(), 2u);
  EXPECT_EQ(s.processes()[0]["end_time"], "9999-12-31 23:59:59.999999");
  EXPECT_EQ(s.processes()[1]["end_time"], "2026-01-01 10:00:06.000");
}

TEST(SandboxProcesses, ProcessesSectionBodyHeuristicAndOrder) {
  Stage s;
  s.ctx.parsed_sysmon = Value::object();
  s.ctx.parsed_sysmon["100"] = Value::array({sysmon_create(100, 4, "{AAAAAAAA-0000-0000-0000-000000000001}",
                                                           "C:\\Windows\\System32\\cmd.exe", "2026-01-01 10:00:01.000")});
  s.run();
  ASSERT_EQ(s.parent.children.size(), 1u);  // no Network Activity / Signatures without subsections
  const auto& sec = *s.parent.children[0];
  EXPECT_EQ(sec.title, "Processes");
  EXPECT_EQ(sec.format, result::BodyFormat::Sandbox);
  ASSERT_TRUE(sec.heuristic);  // a cmd.exe root
  EXPECT_EQ(sec.heuristic->heur_id, 56);
  EXPECT_EQ(sec.heuristic->signatures, (std::vector<std::pair<std::string, int>>{{"Suspicious_Patterns", 1}}));
  EXPECT_EQ(sec.heuristic->score_map.at("Suspicious_Patterns"), 0);
  const Value& body = sec.data;
  EXPECT_EQ(body["analysis_information"], Value::parse(R"({"sandbox_name": "CAPE", "sandbox_version": "2.5",
      "analysis_metadata": {"task_id": 7, "start_time": "2026-01-01 10:00:00.000",
      "end_time": "2026-01-01 10:05:00.000", "routing": "inetsim", "window_size": null,
      "machine_metadata": null}})"));
  ASSERT_EQ(body["processes"].size(), 1u);
  EXPECT_EQ(body["processes"][0]["sources"], Value::parse(R"(["sysmon"])"));
  EXPECT_EQ(body["processes"][0]["file_count"], 0);  // the reference never passes the counts to the body
  EXPECT_EQ(body["network_connections"], Value::array());
  EXPECT_EQ(body["signatures"], Value::array());
}

TEST(SandboxProcesses, MalformedIntermediateDataIsSkipped) {
  Stage s;
  s.ctx.process_map = Value::parse(R"({"12": null, "13": {"image": 5, "start_time": null},
      "14": {"image": "C:\\a.exe", "start_time": "not a time", "ppid": "x", "loaded_modules": {"a": 1},
             "services_events": [null, {"arguments": 3}], "file_events": "x"}})");
  s.ctx.parsed_sysmon = Value::parse(R"({"1": null, "2": [null, 3, {"event_id": 1}, {"event_id": 1, "pid": "2",
      "guid": "not-a-guid", "image": "C:\\b.exe", "start_time": "2026-01-01 10:00:01.000"},
      {"event_id": 5, "pid": 2}], "3": {"event_id": 1}})");
  EXPECT_NO_THROW(s.run());
  ASSERT_EQ(s.parent.children.size(), 1u);
  // A string pid is not a pid (the reference raises) and "not a time" fails the schema: nothing is listed, while
  // the ontology keeps both processes that have an image and a start time.
  EXPECT_TRUE(s.processes().empty());
  EXPECT_EQ(s.ctx.ontology.processes().size(), 2u);
}
