// Expected maps come from the reference's own get_process_map (cape_result.py at ddc) run on the same fragments.
#include "analysis/analyze.hpp"
#include "analysis/context.hpp"
#include "analysis/stages/process_map.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

using namespace alcape;
using namespace alcape::analysis;

namespace {

json::Value process_map_of(std::string_view processes_json, const ParserParams& params = ParserParams()) {
  setenv("TZ", "UTC", 1);
  tzset();
  std::string text = std::string(R"({"behavior": {"processes": )") + std::string(processes_json) + "}}";
  auto r = report::parse_report(text, analysis_read_options(), "test");
  EXPECT_TRUE(r.ok());
  AnalysisContext ctx(*r, params);
  build_process_map(ctx);
  return ctx.process_map;
}

constexpr std::string_view kProcesses = R"pm([{"process_id": 100, "process_name": "a.exe", "module_path": "C:\\a.exe", "parent_id": 4, "first_seen": "2026-03-14 10:02:21,500", "environ": {"CommandLine": null},
  "calls": [
   {"api": "LdrLoadDll", "category": "system", "arguments": [{"name": "FileName", "value": "a.dll"}, {"name": "Flags", "value": "0"}]},
   {"api": "LdrLoadDll", "category": "system", "arguments": [{"name": "FileName", "value": "a.dll"}, {"name": "Flags", "value": "1"}]},
   {"api": "LdrGetProcedureAddress", "category": "system", "arguments": [{"name": "FunctionName", "value": "Foo"}, {"name": "ModuleName", "value": "k32"}, {"name": "Ordinal", "value": "0"}]},
   {"api": "SetWindowsHookExA", "category": "hooking", "arguments": [{"name": "HookIdentifier", "value": "13"}, {"name": "ProcedureAddress", "value": "0x1"}, {"name": "ModuleAddress", "value": "0x2"}, {"name": "ThreadId", "value": "0"}]},
   {"api": "SetWindowsHookExA", "category": "hooking", "arguments": [{"name": "HookIdentifier", "value": "13"}, {"name": "ProcedureAddress", "value": "0x1"}, {"name": "ModuleAddress", "value": "0x3"}, {"name": "ThreadId", "value": "0"}]},
   {"api": "RegSetValueExA", "category": "registry", "arguments": [{"name": "FullName", "value": "HKLM\\x"}, {"name": "Buffer", "value": "data"}]},
   {"api": "NtQueryValueKey", "category": "registry", "arguments": [{"name": "FullName", "value": "HKLM\\y"}, {"name": "Information", "value": "i"}, {"name": "KeyHandle", "value": "0x4"}, {"name": "ValueName", "value": "v"}]},
   {"api": "connect", "category": "network", "arguments": [{"name": "ip", "value": "192.0.2.1"}, {"name": "port", "value": "80"}]},
   {"api": "OutputDebugStringA", "category": "misc", "arguments": [{"name": "OutputString", "value": "hi"}]},
   {"api": "NtCreateEvent", "category": "synchronization", "arguments": [{"name": "EventName", "value": "E"}]},
   {"api": "CreateProcessInternalW", "category": "process", "arguments": [{"name": "CommandLine", "value": "x"}, {"name": "ProcessId", "value": "5"}, {"name": "ProcessFileName", "value": "ignored"}]},
   {"api": "NtCreateUserProcess", "category": "process", "arguments": [{"name": "ProcessFileName", "value": "C:\\b.exe"}]},
   {"api": "UnknownApi", "category": "system", "arguments": [{"name": "filename", "value": "z"}]}
  ]},
 {"process_id": 300, "process_name": "c.exe", "module_path": "C:\\c.exe", "parent_id": 100, "first_seen": 1763500256.123456, "environ": {"CommandLine": "c"}, "calls": []}
])pm";
constexpr std::string_view kReferenceMap = R"pm({"100": {"name": "a.exe", "image": "C:\\a.exe", "ppid": 4, "start_time": "2026-03-14 10:02:21.500", "command_line": null, "network_calls": [{"event": "Connect", "object": "Network", "api": "connect", "arguments": {"IP": "192.0.2.1", "Port": "80"}, "source": "API"}], "crypto_buffers": [], "loaded_modules": [{"event": "Load", "object": "DLL", "api": "LdrLoadDll", "arguments": {"DLLName": "a.dll"}, "source": "API"}, {"event": "Load", "object": "Function", "api": "LdrGetProcedureAddress", "arguments": {"FunctionName": "Foo", "Module": "k32", "Ordinal": "0"}, "source": "API"}, {"event": "Hooking", "object": "Function", "api": "SetWindowsHookExA", "arguments": {"Identifier": "13", "Address": "0x1", "Thread": "0"}, "source": "API"}], "services_events": [], "drivers_events": [], "registry_events": [{"event": "Write", "object": "Registry", "api": "RegSetValueExA", "arguments": {"RegKey": "HKLM\\x"}, "source": "API"}, {"event": "Read", "object": "Registry", "api": "NtQueryValueKey", "arguments": {"RegKey": "HKLM\\y", "Content": "i"}, "source": "API"}, {"event": "Read", "object": "Registry", "api": "NtQueryValueKey", "arguments": {"Handle": "0x4", "Value": "v"}, "source": "API"}], "file_events": [], "misc_events": [{"event": "Misc", "object": "DebugString", "api": "OutputDebugStringA", "arguments": {"Buffer": "hi"}, "source": "API"}], "hooking_events": [{"event": "Hooking", "object": "Function", "api": "SetWindowsHookExA", "arguments": {"Identifier": "13", "Address": "0x1", "Thread": "0"}, "source": "API"}], "process_events": [{"event": "Create", "object": "Process", "api": "CreateProcessInternalW", "arguments": {"CommandLine": "x", "PID": "5"}, "source": "API"}], "interprocess_comm": [{"event": "Create", "object": "Event", "api": "NtCreateEvent", "arguments": {"Name": "E"}, "source": "API"}]}, "300": {"name": "c.exe", "image": "C:\\c.exe", "ppid": 100, "start_time": "2025-11-18 21:10:56.123", "command_line": "c", "network_calls": [], "crypto_buffers": [], "loaded_modules": [], "services_events": [], "drivers_events": [], "registry_events": [], "file_events": [], "misc_events": [], "hooking_events": [], "process_events": [], "interprocess_comm": []}})pm";

}  // namespace

// Argument renaming, bucket routing (Hooking events in loaded_modules, a repeated one falling through to
// hooking_events), the dead upper-case raw names (Buffer, processfileName), an API in two table entries,
// de-duplication, first_seen conversion and the key order of every dict.
TEST(ProcessMap, EqualsTheReferenceMap) {
  EXPECT_EQ(process_map_of(kProcesses), json::Value::parse(kReferenceMap));
}

TEST(ProcessMap, UnusableProcessesAndFields) {
  json::Value m = process_map_of(R"([
    {"process_id": "abc", "process_name": "x.exe", "calls": []},
    {"process_id": 7, "calls": "not a list"},
    {"process_id": 8.0, "process_name": "f.exe", "first_seen": 0, "environ": "str"},
    {"process_id": 9, "first_seen": 1e300, "calls": [{"api": "LdrLoadDll"}, {"api": "LdrLoadDll", "arguments": [{"name": "filename"}]}]}])");
  ASSERT_EQ(m.size(), 3u);  // the non-numeric pid is skipped: nothing could be linked to it
  EXPECT_TRUE(m["7"]["name"].is_null());
  EXPECT_TRUE(m["7"]["command_line"].is_null());
  EXPECT_TRUE(m["7"]["start_time"].is_null());
  EXPECT_EQ(m["8"]["name"], "f.exe");
  EXPECT_TRUE(m["8"]["start_time"].is_null());
  EXPECT_TRUE(m["9"]["start_time"].is_null());  // beyond datetime's range
  EXPECT_TRUE(m["9"]["loaded_modules"].empty());
}

TEST(ProcessMap, RepeatedPidReplacesInPlace) {
  json::Value m = process_map_of(R"([{"process_id": 1, "process_name": "a"}, {"process_id": 2, "process_name": "b"},
                                     {"process_id": 1, "process_name": "c"}])");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m.begin().key(), "1");
  EXPECT_EQ(m["1"]["name"], "c");
}

TEST(ProcessMap, SafelistedNetworkArgumentDropsTheEvent) {
  SafelistData data;
  data.match["network.dynamic.domain"] = {"safe.example.com"};
  data.regex["network.dynamic.ip"] = {R"(192\.0\.2\..*)"};
  ParserParams params;
  params.safelist = std::make_shared<Safelist>(std::move(data));
  if (!params.safelist->is_tag_safelisted("safe.example.com", "network.dynamic.domain"))
    GTEST_SKIP() << "the tagging module's safelist is not merged yet";
  json::Value m = process_map_of(R"([{"process_id": 1, "calls": [
      {"api": "connect", "category": "network", "arguments": [{"name": "ip", "value": "192.0.2.1"}, {"name": "port", "value": "80"}]},
      {"api": "connect", "category": "network", "arguments": [{"name": "port", "value": "81"}, {"name": "ip", "value": "198.51.100.1"}]},
      {"api": "getaddrinfo", "category": "network", "arguments": [{"name": "NodeName", "value": "SAFE.example.com"}]},
      {"api": "getaddrinfo", "category": "system", "arguments": [{"name": "NodeName", "value": "safe.example.com"}]}]}])",
                                 params);
  // Only network/crypto calls are checked; the second connect keeps its argument order.
  EXPECT_EQ(m["1"]["network_calls"], json::Value::parse(R"([
      {"event": "Connect", "object": "Network", "api": "connect", "arguments": {"Port": "81", "IP": "198.51.100.1"}, "source": "API"},
      {"event": "DNS", "object": "Network", "api": "getaddrinfo", "arguments": {"HostName": "safe.example.com"}, "source": "API"}])"));
}

TEST(ProcessMap, ApisOfInterestAreTheTableApis) {
  EXPECT_TRUE(is_api_of_interest("LdrLoadDll"));
  EXPECT_TRUE(is_api_of_interest("NtQueryValueKey"));
  EXPECT_TRUE(is_api_of_interest("WSASendMsg"));
  EXPECT_FALSE(is_api_of_interest("ldrloaddll"));  // exact names, as the reference compares them
  EXPECT_FALSE(is_api_of_interest("NtClose"));
  EXPECT_FALSE(is_api_of_interest("GetClipboardData"));  // HEAD-only entry
}
