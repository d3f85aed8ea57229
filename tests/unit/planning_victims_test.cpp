#include "planning/host_choice.hpp"
#include "planning/task_params.hpp"
#include "planning/victims.hpp"

#include <gtest/gtest.h>

namespace alcape::planning {
namespace {

config::ServiceConfig two_hosts() {
  config::ServiceConfig c = config::default_config();
  c.hosts.resize(2);
  c.hosts[0].ip = "10.0.0.1";
  c.hosts[1].ip = "10.0.0.2";
  c.allowed_images = {"win10x64", "win7x86", "ub22x64"};
  return c;
}

std::vector<HostMachines> machines() {
  return {
      {0, {{"win10", "windows", "x64", {"win10x64", "x64"}}, {"ub22", "linux", "x64", {"ub22x64"}}}},
      {1, {{"win7", "windows", "x86", {"win7x86"}}, {"win10b", "windows", "x64", {"win10x64"}}}},
  };
}

config::SubmissionParams params(std::initializer_list<std::pair<const char*, std::string>> given = {}) {
  config::SubmissionParams p = config::default_submission_params();
  for (const auto& [k, v] : given) EXPECT_TRUE(config::apply_param(p, k, v).ok()) << k;
  return p;
}

TEST(PlanningVictims, AutoPicksImagesByFileType) {
  auto c = two_hosts();
  auto plan = plan_victims(machines(), "executable/windows/pe64", c, params());
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->targets.size(), 1u);
  EXPECT_EQ(plan->targets[0].title, "Analysis Environment Target: win10x64");
  EXPECT_EQ(plan->targets[0].tags, "win10x64");
  EXPECT_EQ(plan->targets[0].hosts, (std::vector<size_t>{0, 1}));
  auto x86 = plan_victims(machines(), "executable/windows/pe32", c, params());
  ASSERT_TRUE(x86.ok());
  EXPECT_EQ(x86->targets.at(0).label, "win7x86");
  EXPECT_EQ(x86->targets.at(0).hosts, std::vector<size_t>{1});
  auto elf = plan_victims(machines(), "executable/linux/elf64", c, params());
  ASSERT_TRUE(elf.ok());
  EXPECT_EQ(elf->targets.at(0).label, "ub22x64");
  // Documents and scripts go to 64-bit Windows.
  EXPECT_EQ(relevant_images("code/batch", c, false, "none"), std::vector<std::string>{"win10x64"});
}

TEST(PlanningVictims, AutoArchitectureOverridesAndAutoAllIgnoresIt) {
  auto c = two_hosts();
  c.allowed_images = {"win10x64", "win11x64", "win7x86"};
  c.auto_architecture = json::Value::parse(R"({"win": {"x64": ["win11x64", "notallowed"], "x86": []}})");
  EXPECT_EQ(relevant_images("executable/windows/pe64", c, false, "none"), std::vector<std::string>{"win11x64"});
  EXPECT_EQ(relevant_images("executable/windows/pe64", c, true, "none"),
            (std::vector<std::string>{"win10x64", "win11x64"}));
  // Missing keys are empty lists (the reference raises KeyError).
  EXPECT_EQ(relevant_images("executable/linux/elf64", c, false, "none"), std::vector<std::string>{});
}

TEST(PlanningVictims, MultiRoutingHostsUseOnOff) {
  auto c = two_hosts();
  c.multi_routing_hosts = true;
  c.allowed_images = {"win10x64_on", "win10x64_off"};
  EXPECT_EQ(relevant_images("executable/windows/pe64", c, false, "internet"), std::vector<std::string>{"win10x64_on"});
  EXPECT_EQ(relevant_images("executable/windows/pe64", c, false, "inetsim"),
            std::vector<std::string>{"win10x64_off"});
  c.auto_architecture = json::Value::parse(R"({"win": {"x64": {"_on": ["win10x64_on"], "_off": []}}})");
  EXPECT_EQ(relevant_images("executable/windows/pe64", c, false, "internet"), std::vector<std::string>{"win10x64_on"});
}

TEST(PlanningVictims, AllAndNamedImages) {
  auto c = two_hosts();
  auto all = plan_victims(machines(), "executable/windows/pe64", c, params({{"specific_image", "all"}}));
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->targets.size(), 3u);
  EXPECT_EQ(all->targets[0].label, "win10x64");
  EXPECT_EQ(all->targets[1].label, "win7x86");
  EXPECT_EQ(all->targets[2].label, "ub22x64");
  EXPECT_EQ(all->targets[2].hosts, std::vector<size_t>{0});
  auto named = plan_victims(machines(), "executable/windows/pe64", c, params({{"specific_image", "win7x86"}}));
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->targets.at(0).label, "win7x86");
}

TEST(PlanningVictims, MissingImageSectionTexts) {
  auto c = two_hosts();
  c.allowed_images = {"win10x64", "win7x86"};
  auto plan = plan_victims(machines(), "executable/linux/elf64", c, params());
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->targets.empty());
  ASSERT_TRUE(plan->missing.has_value());
  EXPECT_EQ(plan->missing->title, "Requested Image Does Not Exist");
  EXPECT_EQ(plan->missing->lines, (std::vector<std::string>{
                                      "The requested image 'auto ([])' is currently unavailable.",
                                      "General Information:",
                                      "At the moment, the current image options for this CAPE deployment include "
                                      "['win10x64', 'win7x86']."}));
  // An image that is not allowed does not exist, even if a machine carries it.
  auto named = plan_victims(machines(), "executable/linux/elf64", c, params({{"specific_image", "ub22x64"}}));
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->missing->lines[0], "The requested image 'ub22x64' is currently unavailable.");
  // Default config: allowed_images empty.
  auto d = config::default_config();
  auto dp = plan_victims({{0, {{"win10", "windows", "x64", {"win10x64"}}}}}, "executable/windows/pe64", d, params());
  ASSERT_TRUE(dp.ok());
  EXPECT_EQ(dp->missing->lines[2], "At the moment, the current image options for this CAPE deployment include [].");
}

TEST(PlanningVictims, ImagesMatchMachineTagsNotNames) {
  auto c = two_hosts();
  c.allowed_images = {"win10"};
  // Machine names contain "win10" but no machine carries the tag: CAPE would reject tags=win10.
  auto plan = plan_victims(machines(), "executable/windows/pe64", c, params({{"specific_image", "win10"}}));
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->missing.has_value());
}

TEST(PlanningVictims, RetryOnNoMachineIsARecoverableError) {
  auto c = two_hosts();
  c.retry_on_no_machine = true;
  c.allowed_images = {};
  auto plan = plan_victims(machines(), "executable/windows/pe64", c, params());
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.error().code, ErrorCode::kNoMachine);
}

TEST(PlanningVictims, SpecificMachineHasPrecedence) {
  auto c = two_hosts();
  auto plan = plan_victims(machines(), "executable/windows/pe64", c,
                           params({{"specific_machine", "10.0.0.2:win7"}, {"platform", "linux"}}));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->targets.size(), 1u);
  EXPECT_EQ(plan->targets[0].title, "Analysis Environment Target: win7");
  EXPECT_EQ(plan->targets[0].machine, "win7");
  EXPECT_FALSE(plan->targets[0].tags.has_value());
  EXPECT_EQ(plan->targets[0].hosts, std::vector<size_t>{1});
  // Several hosts: the ip prefix is required.
  auto bad = plan_victims(machines(), "executable/windows/pe64", c, params({{"specific_machine", "win7"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidParams);
  // Unknown machine: the section lists that host's machines.
  auto missing = plan_victims(machines(), "executable/windows/pe64", c, params({{"specific_machine", "10.0.0.1:xp"}}));
  ASSERT_TRUE(missing.ok());
  ASSERT_TRUE(missing->missing.has_value());
  EXPECT_EQ(missing->missing->title, "Requested Machine Does Not Exist");
  EXPECT_EQ(missing->missing->lines,
            (std::vector<std::string>{"The requested machine 'xp' is currently unavailable.", "General Information:",
                                      "At the moment, the current machine options for this CAPE deployment include "
                                      "['win10', 'ub22']."}));
}

TEST(PlanningVictims, SingleHostMachineWithOrWithoutPrefix) {
  auto c = config::default_config();
  std::vector<HostMachines> m = {{0, {{"win10", "windows", "x64", {}}}}};
  for (const char* value : {"win10", "1.2.3.4:win10"}) {
    auto plan = plan_victims(m, "executable/windows/pe64", c, params({{"specific_machine", value}}));
    ASSERT_TRUE(plan.ok());
    ASSERT_EQ(plan->targets.size(), 1u) << value;
    EXPECT_EQ(plan->targets[0].machine, "win10");
  }
}

TEST(PlanningVictims, PlatformBeforeImage) {
  auto c = two_hosts();
  auto plan = plan_victims(machines(), "executable/windows/pe64", c, params({{"platform", "linux"}}));
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->targets.size(), 1u);
  EXPECT_EQ(plan->targets[0].title, "Analysis Environment Target: linux");
  EXPECT_EQ(plan->targets[0].platform, "linux");
  EXPECT_EQ(plan->targets[0].hosts, std::vector<size_t>{0});
  std::vector<HostMachines> windows_only = {{0, {{"w", "windows", "x64", {}}}}, {1, {{"v", "windows", "x86", {}}}}};
  auto missing = plan_victims(windows_only, "executable/windows/pe64", c, params({{"platform", "linux"}}));
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->missing->title, "Requested Platform Does Not Exist");
  EXPECT_EQ(missing->missing->lines[2],
            "At the moment, the current platform options for this CAPE deployment include ['windows'].");
}

TEST(PlanningVictims, NoImageRequestedMeansFirstMachineAvailable) {
  auto c = two_hosts();
  auto p = params();
  p["specific_image"] = "";
  auto plan = plan_victims(machines(), "executable/windows/pe64", c, p);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->targets.at(0).title, "Analysis Environment Target: First Machine Available");
  EXPECT_EQ(plan->targets.at(0).hosts, (std::vector<size_t>{0, 1}));
}

TEST(PlanningRouting, EnforcedRoutingAndHostSupport) {
  auto c = config::default_config();
  EXPECT_EQ(effective_routing(c, params({{"routing", "INTERNET"}})), "internet");
  c.enforce_routing = true;
  c.routing_list = {"inetsim", "drop"};
  EXPECT_EQ(effective_routing(c, params({{"routing", "internet"}})), "inetsim");
  EXPECT_EQ(effective_routing(c, params({{"routing", "drop"}})), "drop");
  config::Host h;
  EXPECT_TRUE(host_supports_routing(h, "none"));
  EXPECT_FALSE(host_supports_routing(h, "inetsim"));
  EXPECT_FALSE(host_supports_routing(h, "internet"));
  h.inetsim_connected = true;
  EXPECT_TRUE(host_supports_routing(h, "INetSim"));
}

TEST(PlanningHostChoice, FewestPendingOrMostAvailable) {
  std::vector<HostStatus> s = {{0, true, 5, 1}, {1, true, 2, 0}, {2, false, 0, 9}, {3, true, 7, 3}};
  Rng first = [](size_t) { return size_t{0}; };
  EXPECT_EQ(choose_host(s, "default", first), 1u);
  EXPECT_EQ(choose_host(s, "available_machines", first), 3u);  // host 2 did not answer
  EXPECT_FALSE(choose_host({{0, false}, {1, false}}, "default", first).has_value());
  EXPECT_FALSE(choose_host({}, "default", first).has_value());
}

TEST(PlanningHostChoice, FromJson) {
  auto s = host_status_from_json(3, json::Value::parse(R"({"tasks": {"pending": 4}, "machines": {"available": 2}})"));
  EXPECT_TRUE(s.answered);
  EXPECT_EQ(s.host_index, 3u);
  EXPECT_EQ(s.pending, 4);
  EXPECT_EQ(s.available, 2);
  EXPECT_FALSE(host_status_from_json(0, json::Value()).answered);
  auto m = machines_from_json(json::Value::parse(
      R"([{"name": "win10", "platform": "windows", "arch": "x64", "tags": ["x64", 3]}, {"platform": "x"}])"));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].tags, std::vector<std::string>{"x64"});
  EXPECT_EQ(m[0].arch, "x64");
}

TEST(PlanningHostChoice, TiesAreRandom) {
  std::vector<HostStatus> s = {{0, true, 1, 0}, {1, true, 3, 0}, {2, true, 1, 0}};
  size_t asked = 0;
  Rng last = [&](size_t n) {
    asked = n;
    return n - 1;
  };
  EXPECT_EQ(choose_host(s, "default", last), 2u);
  EXPECT_EQ(asked, 2u);
  EXPECT_EQ(choose_host(s, "available_machines", last), 2u);  // all 0 available: all three tie
  EXPECT_EQ(asked, 3u);
}

Target image_target(const char* image) {
  Target t;
  t.label = image;
  t.title = std::string("Analysis Environment Target: ") + image;
  t.tags = image;
  return t;
}

TEST(PlanningTaskParams, DefaultsForAnExecutable) {
  auto c = config::default_config();
  TaskInputs in{"executable/windows/pe32"};
  auto task = build_task_request(image_target("win10x64"), in, c, params());
  EXPECT_EQ(task.timeout, 150);
  EXPECT_FALSE(task.enforce_timeout);
  EXPECT_EQ(task.options, "force-sleepskip=1");
  EXPECT_EQ(task.route, "none");
  EXPECT_EQ(task.tags, "win10x64");
  EXPECT_FALSE(task.package.has_value());
  EXPECT_TRUE(task.notices.empty());
  EXPECT_EQ(task.form_fields(), (std::vector<std::pair<std::string, std::string>>{
                                    {"timeout", "150"}, {"enforce_timeout", "False"},
                                    {"options", "force-sleepskip=1"}, {"clock", ""}, {"route", "none"},
                                    {"tags", "win10x64"}}));
}

TEST(PlanningTaskParams, OptionOrderWithEverything) {
  auto c = config::default_config();
  c.limit_monitor_apis = true;
  TaskInputs in{"executable/windows/pe32"};
  in.deep_scan = true;
  auto task = build_task_request(image_target("w"), in, c,
                                 params({{"analysis_timeout_in_seconds", "200"}, {"arguments", "-x"},
                                         {"no_monitor", "true"}, {"simulate_user", "false"}, {"hh_args", "/q"},
                                         {"custom_options", "a=1,b=2"}, {"clock", "2024-01-01"},
                                         {"package", "exe"}, {"routing", "INetSim"}}));
  EXPECT_EQ(task.options,
            "arguments=-x,free=yes,force-sleepskip=1,nohuman=true,hollowshunter=all,hh_args=/q,api-cap=1000,a=1,b=2");
  EXPECT_TRUE(task.enforce_timeout);
  EXPECT_EQ(task.timeout, 200);
  EXPECT_EQ(task.package, "exe");
  EXPECT_EQ(task.route, "inetsim");
  EXPECT_EQ(task.clock, "2024-01-01");
  EXPECT_TRUE(task.no_monitor);
}

TEST(PlanningTaskParams, ArchivesAndPasswords) {
  auto c = config::default_config();
  TaskInputs iso{"archive/iso"};
  iso.archive_passwords = {"infected", "123"};
  auto t = build_task_request(image_target("w"), iso, c, params({{"simulate_user", "false"},
                                                                   {"force_sleepskip", "false"}}));
  // The reference's test example, without its trailing comma.
  EXPECT_EQ(t.options, "file=,nohuman=true,password=infected:123,enable_multi_password=true");
  TaskInputs rar{"archive/rar"};
  auto r = build_task_request(image_target("w"), rar, c, params({{"password", "a:b"}}));
  EXPECT_EQ(r.package, "archive");
  EXPECT_EQ(r.options, "file=,force-sleepskip=1,password=a:b,enable_multi_password=true");
  auto single = build_task_request(image_target("w"), rar, c, params({{"password", "pw"}}));
  EXPECT_EQ(single.options, "file=,force-sleepskip=1,password=pw");
  TaskInputs chm{"archive/chm"};  // not unpacked by CAPE: no file=, but passwords still apply
  auto h = build_task_request(image_target("w"), chm, c, params({{"password", "pw"}}));
  EXPECT_EQ(h.options, "force-sleepskip=1,password=pw");
}

TEST(PlanningTaskParams, DllFunctionAndExportSelection) {
  auto c = config::default_config();
  TaskInputs dll{"executable/windows/dll64"};
  auto given = build_task_request(image_target("w"), dll, c, params({{"dll_function", "Run:Stop"}}));
  EXPECT_EQ(given.options, "function=Run:Stop,enable_multi=true,force-sleepskip=1");
  EXPECT_TRUE(given.notices.empty());
  auto auto_sel = build_task_request(image_target("w"), dll, c, params());
  EXPECT_EQ(auto_sel.options, "function=DllMain:DllRegisterServer,enable_multi=true,force-sleepskip=1");
  ASSERT_EQ(auto_sel.notices.size(), 1u);
  EXPECT_EQ(auto_sel.notices[0].title, "Executed Multiple DLL Exports");
}

TEST(PlanningTaskParams, AntivmPackagesMemoryAndTargets) {
  auto c = config::default_config();
  c.use_antivm_packages = true;
  EXPECT_EQ(build_task_request(image_target("w"), {"document/office/word"}, c, params()).package, "doc_antivm");
  EXPECT_EQ(build_task_request(image_target("w"), {"code/jscript"}, c, params()).package, "js_antivm");
  EXPECT_EQ(build_task_request(image_target("w"), {"code/jscript"}, c, params({{"package", "js"}})).package, "js");
  auto no_dump = build_task_request(image_target("w"), {"code/ps1"}, c, params({{"dump_memory", "true"}}));
  EXPECT_FALSE(no_dump.memory);
  ASSERT_EQ(no_dump.notices.size(), 1u);
  EXPECT_EQ(no_dump.notices[0].title, "CAPE Machinery Cannot Generate Memory Dumps.");
  c.machinery_supports_memory_dumps = true;
  auto dump = build_task_request(image_target("w"), {"code/ps1"}, c, params({{"dump_memory", "true"}}));
  EXPECT_TRUE(dump.memory);
  EXPECT_TRUE(dump.notices.empty());
  Target m;
  m.machine = "win7";
  m.platform = std::nullopt;
  auto mt = build_task_request(m, {"code/ps1"}, c, params());
  EXPECT_EQ(mt.machine, "win7");
  EXPECT_FALSE(mt.tags.has_value());
  TaskInputs unmonitored{"code/ps1"};
  unmonitored.no_monitor_variant = true;
  EXPECT_EQ(build_task_request(m, unmonitored, c, params()).options, "free=yes,force-sleepskip=1");
}

TEST(PlanningTaskParams, MonitorVariants) {
  EXPECT_EQ(monitor_variants(params()), std::vector<bool>{false});
  EXPECT_EQ(monitor_variants(params({{"monitored_and_unmonitored", "true"}})), (std::vector<bool>{false, true}));
  EXPECT_EQ(monitor_variants(params({{"monitored_and_unmonitored", "true"}, {"no_monitor", "true"}})),
            std::vector<bool>{false});
}

TEST(PlanningTaskParams, InvalidTimeout) {
  EXPECT_FALSE(invalid_timeout_notice(params({{"analysis_timeout_in_seconds", "799"}}), 800).has_value());
  auto n = invalid_timeout_notice(params({{"analysis_timeout_in_seconds", "800"}}), 800);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->title, "Invalid Analysis Timeout Requested");
  EXPECT_EQ(n->lines.at(0),
            "The analysis timeout requested was 800, which exceeds the time that Assemblyline will run the service "
            "(800). Choose an analysis timeout value < 800 and submit the file again. Note that the requested "
            "analysis timeout must give the processing some time to finish before the service timeout. In other "
            "words: analysis timeout + processing timeout < 800.");
  EXPECT_TRUE(invalid_timeout_notice(params({{"analysis_timeout_in_seconds", "500"}}), 800, true).has_value());
}

}  // namespace
}  // namespace alcape::planning
