// pipeline::run against the in-process CAPE nest emulator: the Outcome fields, the API calls per task, the
// run's artifact sections (screenshots, "Sandbox Artifacts"), the merged ontology of several tasks,
// retry_on_no_machine without a sleep, and that nothing is written outside work_dir.
#include "emulators/nest/emulator.hpp"
#include "pipeline/artifact_sections.hpp"
#include "pipeline/ontology_merge.hpp"
#include "pipeline/pipeline.hpp"
#include "support/pipeline_setup.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>

namespace alcape::pipeline {
namespace {

namespace fs = std::filesystem;
namespace emu = emulators::nest;
using json::Value;
using Clock = std::chrono::steady_clock;

const std::string kHhSha = "6c5e685f5ed0dd6ce0609edf6e691bb7844ec553ed25ca6c27f328790aca1125";

struct TempDir : alcape::testing::TempDir {
  TempDir() : alcape::testing::TempDir("alcape_pipeline") {}
};

struct Nest {
  explicit Nest(const std::string& extra = "") {
    auto sc = emu::Scenario::from_yaml("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}\n" +
                                       extra);
    EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : sc.error().describe());
    e = std::make_unique<emu::Emulator>(emu::Options{alcape::testing::data_dir() / "samples", sc.value(), false});
    auto st = e->start("127.0.0.1", 0);
    EXPECT_TRUE(st.ok()) << (st.ok() ? "" : st.error().describe());
  }
  std::unique_ptr<emu::Emulator> e;
};

config::ServiceConfig config_for(const Nest& nest) {
  config::ServiceConfig c = alcape::testing::config_with_nest(nest.e->port());
  c.connection_attempts = 2;
  return c;
}

FileToAnalyse hh_sample() {
  const fs::path dir = alcape::testing::data_dir() / "samples" / kHhSha;
  return FileToAnalyse{dir / "suspended-process.exe", kHhSha, "suspended-process.exe", "executable/windows/pe32"};
}

RunOptions fast_options(const fs::path& work_dir) { return alcape::testing::fast_run_options(work_dir); }

std::vector<std::string> titles(const result::Section& s) {
  std::vector<std::string> out;
  for (const auto& c : s.children) out.push_back(c->title);
  return out;
}

const result::Section* find_prefix(const result::Section& s, const std::string& prefix) {
  for (const auto& c : s.children)
    if (c->title.rfind(prefix, 0) == 0) return c.get();
  return nullptr;
}

TEST(PipelineRun, OneTaskAgainstTheEmulator) {
  Nest nest;
  TempDir tmp;
  const fs::path work = tmp.path / "work";
  fs::create_directories(work);
  auto params = alcape::testing::win10x64_params();
  Outcome out = run(hh_sample(), config_for(nest), params, fast_options(work));

  ASSERT_TRUE(out.ok()) << (out.error ? out.error->describe() : "");
  EXPECT_FALSE(out.error.has_value());
  EXPECT_EQ(titles(*out.root),
            (std::vector<std::string>{"Analysis Environment Target: win10x64", "Sandbox Artifacts"}));

  // The calls: one task, each endpoint once, a bounded number of views; the counter sees every request.
  auto tasks = nest.e->tasks_json();
  ASSERT_EQ(tasks.size(), 1u) << tasks.dump();
  const int64_t id = 1;
  EXPECT_EQ(nest.e->call_count("machines/list"), 1u);
  EXPECT_EQ(nest.e->call_count("cuckoo/status"), 0u);  // a single candidate host needs no status
  EXPECT_EQ(nest.e->call_count("tasks/search"), 1u);
  EXPECT_EQ(nest.e->call_count("tasks/create/file"), 1u);
  EXPECT_EQ(nest.e->call_count("tasks/report", id), 1u);
  EXPECT_EQ(nest.e->call_count("tasks/delete", id), 1u);
  EXPECT_GE(nest.e->call_count("tasks/view", id), 1u);
  EXPECT_LE(nest.e->call_count("tasks/view", id), 20u);
  EXPECT_EQ(static_cast<size_t>(out.cape_api_calls), nest.e->calls().size());

  // The ontology of the task.
  ASSERT_TRUE(out.ontology.is_object());
  EXPECT_EQ(out.ontology["sandboxes"].size(), 1u);
  EXPECT_FALSE(out.ontology["processes"].empty());

  // Screenshots: an image section in the target section, each entry a supplementary section image.
  const auto& target = *out.root->children[0];
  const auto* shots = find_prefix(target, "Screenshots taken during Task ");
  ASSERT_NE(shots, nullptr);
  EXPECT_EQ(shots->title, "Screenshots taken during Task 1");
  EXPECT_EQ(shots->format, result::BodyFormat::Multi);
  ASSERT_EQ(shots->data.size(), 1u);  // no anti-VM note by default
  EXPECT_EQ(shots->data[0][0], "IMAGE");
  size_t images = 0;
  for (const auto& a : out.supplementary) {
    if (!a.section_image) continue;
    ++images;
    bool referenced = false;
    for (const auto& e : shots->data[0][1]) referenced = referenced || (e["img"]["sha256"] == a.sha256 && e["img"]["name"] == a.name);
    EXPECT_TRUE(referenced) << a.name;
  }
  EXPECT_EQ(images, shots->data[0][1].size());
  EXPECT_GT(images, 0u);

  // Sandbox Artifacts: the HollowsHunter PE dumps, which are extracted files.
  const auto& sa = *out.root->children[1];
  EXPECT_TRUE(sa.auto_collapse);
  ASSERT_EQ(sa.children.size(), 1u);
  const auto& hh = *sa.children[0];
  EXPECT_EQ(hh.title, "HollowsHunter Injected Portable Executable");
  ASSERT_TRUE(hh.heuristic.has_value());
  EXPECT_EQ(hh.heuristic->heur_id, kInjectionHeuristic);
  const auto* names = hh.tags.values("dynamic.process.file_name");
  ASSERT_NE(names, nullptr);
  ASSERT_FALSE(names->empty());
  for (const auto& n : *names) {
    bool extracted = false;
    for (const auto& a : out.extracted) extracted = extracted || a.name == n.get<std::string>();
    EXPECT_TRUE(extracted) << n;
    EXPECT_TRUE(hh.heuristic->has_signature("hollowshunter_exe"));
  }

  // Every artifact lives under work_dir, and nothing was written next to it; removing it leaves nothing.
  for (const auto* list : {&out.extracted, &out.supplementary})
    for (const auto& a : *list) {
      EXPECT_TRUE(fs::is_regular_file(a.path)) << a.path;
      EXPECT_EQ(a.path.string().rfind(work.string(), 0), 0u) << a.path;
    }
  EXPECT_EQ(std::distance(fs::directory_iterator(tmp.path), fs::directory_iterator()), 1);
  fs::remove_all(work);
  EXPECT_TRUE(fs::is_empty(tmp.path));
}

TEST(PipelineRun, SeveralTasksShareOneOntology) {
  Nest nest;
  TempDir tmp;
  auto config = config_for(nest);
  config.allowed_images = {"win10x64", "win7x86"};
  auto params = config::default_submission_params();
  params["specific_image"] = "all";
  Outcome out = run(hh_sample(), config, params, fast_options(tmp.path));
  ASSERT_TRUE(out.ok()) << (out.error ? out.error->describe() : "");
  EXPECT_EQ(nest.e->call_count("tasks/create/file"), 2u);
  EXPECT_EQ(nest.e->call_count("tasks/report", 1), 1u);
  EXPECT_EQ(nest.e->call_count("tasks/report", 2), 1u);
  ASSERT_TRUE(out.ontology.is_object());
  EXPECT_EQ(out.ontology["sandboxes"].size(), 2u);
  // Each task's processes, signatures and netflows are all there (the same recorded report twice).
  Nest single_nest;
  TempDir single_tmp;
  Outcome single = run(hh_sample(), config_for(single_nest), alcape::testing::win10x64_params(),
                       fast_options(single_tmp.path));
  ASSERT_TRUE(single.ok());
  const Value& ref = single.ontology;
  for (const char* key : {"processes", "signatures", "network_connections", "network_dns"})
    EXPECT_EQ(out.ontology[key].size(), 2 * ref[key].size()) << key;
  // One "Sandbox Artifacts" for the run, listing the dumps of both tasks.
  ASSERT_EQ(out.root->children.back()->title, "Sandbox Artifacts");
  const auto* names = out.root->children.back()->children[0]->tags.values("dynamic.process.file_name");
  const auto* single_names = single.root->children.back()->children[0]->tags.values("dynamic.process.file_name");
  ASSERT_NE(names, nullptr);
  ASSERT_NE(single_names, nullptr);
  EXPECT_EQ(names->size(), 2 * single_names->size());
}

TEST(PipelineRun, RetryOnNoMachineAtSubmissionIsRecoverableAtOnce) {
  // CAPE rejects the image's tag at submission (the machine went away after machines/list).
  Nest nest("faults: [{endpoint: tasks/create/file, kind: machine_missing, machine: win10x64}]\n");
  TempDir tmp;
  auto config = config_for(nest);
  config.allowed_images = {"win10x64"};
  config.retry_on_no_machine = true;
  config.rest_timeout_in_seconds = 120;  // the reference sleeps this long first
  auto params = config::default_submission_params();
  params["specific_image"] = "win10x64";
  const auto t0 = Clock::now();
  Outcome out = run(hh_sample(), config, params, fast_options(tmp.path));
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(10));
  ASSERT_TRUE(out.failure.has_value());
  EXPECT_EQ(*out.failure, Disposition::kRecoverable);
  ASSERT_TRUE(out.error.has_value());
  EXPECT_EQ(out.error->code, ErrorCode::kNoMachine);
  EXPECT_NE(out.error->message.find("Retrying since the specific image was missing"), std::string::npos)
      << out.error->message;
  EXPECT_EQ(nest.e->call_count("tasks/create/file"), 1u);
}

TEST(PipelineRun, RebootAnalysisOnANestWithTheRebootEndpoint) {
  Nest nest("reboot_endpoint: true\n");
  TempDir tmp;
  auto config = config_for(nest);
  config.reboot_supported = true;
  auto params = alcape::testing::win10x64_params();
  params["reboot"] = true;
  Outcome out = run(hh_sample(), config, params, fast_options(tmp.path));
  ASSERT_TRUE(out.ok()) << (out.error ? out.error->describe() : "");
  EXPECT_EQ(titles(*out.root),
            (std::vector<std::string>{"Analysis Environment Target: win10x64",
                                      "Reboot Analysis -> Analysis Environment Target: win10x64", "Sandbox Artifacts"}));
  EXPECT_EQ(nest.e->call_count("tasks/reboot", 1), 1u);
  EXPECT_EQ(nest.e->call_count("tasks/report", 1), 1u);
  EXPECT_EQ(nest.e->call_count("tasks/report", 2), 1u);  // the reboot task's own report
  EXPECT_EQ(nest.e->call_count("tasks/delete", 1), 1u);
  EXPECT_EQ(nest.e->call_count("tasks/delete", 2), 1u);
  EXPECT_EQ(out.ontology["sandboxes"].size(), 2u);
  const auto& reboot = *out.root->children[1];
  EXPECT_NE(find_prefix(reboot, "Screenshots taken during Task 2"), nullptr);
}

TEST(PipelineRun, RebootOnStockCapeIsANoteNotASecondCopyOfTheReport) {
  Nest nest;  // CAPE has no tasks/reboot: Django's 404 page
  TempDir tmp;
  auto config = config_for(nest);
  config.reboot_supported = true;
  auto params = alcape::testing::win10x64_params();
  params["reboot"] = true;
  Outcome out = run(hh_sample(), config, params, fast_options(tmp.path));
  ASSERT_TRUE(out.ok()) << (out.error ? out.error->describe() : "");
  ASSERT_GE(out.root->children.size(), 2u);
  const auto& reboot = *out.root->children[1];
  EXPECT_EQ(reboot.title, "Reboot Analysis -> Analysis Environment Target: win10x64");
  ASSERT_EQ(reboot.children.size(), 1u);
  EXPECT_EQ(reboot.children[0]->title, "Reboot Analysis Not Performed");
  EXPECT_EQ(nest.e->call_count("tasks/report"), 1u);  // the original task's report only, once
  EXPECT_EQ(nest.e->call_count("tasks/reboot"), 0u);   // counted as "other": not a CAPE endpoint
  EXPECT_EQ(nest.e->call_count("other"), 1u);
  EXPECT_EQ(out.ontology["sandboxes"].size(), 1u);
}

TEST(PipelineRun, NoRebootWithoutRebootSupported) {
  Nest nest("reboot_endpoint: true\n");
  TempDir tmp;
  auto params = alcape::testing::win10x64_params();
  params["reboot"] = true;
  Outcome out = run(hh_sample(), config_for(nest), params, fast_options(tmp.path));  // reboot_supported false
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(nest.e->call_count("tasks/reboot"), 0u);
  EXPECT_EQ(out.root->children.size(), 2u);  // target + Sandbox Artifacts
}

TEST(PipelineRun, GuestThatCannotReachTheHostIsResubmittedOnce) {
  // A recorded report whose debug errors say the guest never reached the host (CAPE still reports the task).
  const std::string sha = "5c186e41a0856e578b68a6ed068bb0ffe3d9c177a51502b3eacebdf51981bbd9";
  TempDir samples;
  fs::copy(alcape::testing::data_dir() / "samples" / sha, samples.path / sha, fs::copy_options::recursive);
  const fs::path lite = samples.path / sha / "Report" / "reports" / "lite.json";
  Value rep = Value::parse(alcape::testing::read_file(lite));
  rep["debug"]["errors"] = Value::array({"Analysis failed: it appears that this Virtual Machine hasn't been configured "
                                         "properly as the CAPE Host wasn't able to connect to the Guest."});
  std::ofstream(lite, std::ios::trunc) << rep.dump();
  auto sc = emu::Scenario::from_yaml("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}");
  ASSERT_TRUE(sc.ok());
  emu::Emulator e(emu::Options{samples.path, sc.value(), false});
  ASSERT_TRUE(e.start("127.0.0.1", 0).ok());
  config::ServiceConfig config = alcape::testing::config_with_nest(e.port());
  auto params = alcape::testing::win10x64_params();
  TempDir tmp;
  FileToAnalyse file{samples.path / sha / "AcceptEx.exe", sha, "AcceptEx.exe", "executable/windows/pe32"};
  Outcome out = run(file, config, params, fast_options(tmp.path));
  ASSERT_TRUE(out.ok()) << (out.error ? out.error->describe() : "");
  EXPECT_EQ(titles(*out.root), (std::vector<std::string>{"Analysis Environment Target: win10x64",
                                                         "Resubmit -> Analysis Environment Target: win10x64"}));
  EXPECT_EQ(e.call_count("tasks/create/file"), 2u);  // once more, not again after the second failure
  EXPECT_EQ(e.call_count("tasks/search"), 1u);       // the resubmission skips the cache
  EXPECT_EQ(e.call_count("tasks/report", 2), 1u);
  EXPECT_EQ(out.ontology["sandboxes"].size(), 2u);
  e.stop();
}

TEST(PipelineRun, HollowsHunterDumpsOfUnknownProcessesAreNotExtracted) {
  // The recorded report plus a PE dump of a pid that is not in its process tree.
  TempDir samples;
  fs::copy(alcape::testing::data_dir() / "samples" / kHhSha, samples.path / kHhSha, fs::copy_options::recursive);
  std::ofstream(samples.path / kHhSha / "Report" / "hollowshunter" / "hh_process_9999_7ff0.stranger.exe",
                std::ios::binary) << "MZ\x90\x00This program cannot be run in DOS mode";
  auto sc = emu::Scenario::from_yaml("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}");
  ASSERT_TRUE(sc.ok());
  emu::Emulator e(emu::Options{samples.path, sc.value(), false});
  ASSERT_TRUE(e.start("127.0.0.1", 0).ok());
  config::ServiceConfig config = alcape::testing::config_with_nest(e.port());
  auto params = alcape::testing::win10x64_params();
  TempDir tmp;
  FileToAnalyse file{samples.path / kHhSha / "suspended-process.exe", kHhSha, "suspended-process.exe",
                     "executable/windows/pe32"};
  Outcome out = run(file, config, params, fast_options(tmp.path));
  ASSERT_TRUE(out.ok()) << (out.error ? out.error->describe() : "");
  bool known = false;
  for (const auto& a : out.extracted) {
    EXPECT_EQ(a.name.find("hh_process_9999"), std::string::npos) << a.name;
    known = known || a.name.find("hh_process_8136") != std::string::npos;
  }
  EXPECT_TRUE(known);  // the dump of a process of the tree stays
  const auto* names = out.root->children.back()->children.at(0)->tags.values("dynamic.process.file_name");
  ASSERT_NE(names, nullptr);
  EXPECT_EQ(names->size(), 1u);
  e.stop();
}

TEST(PipelineArtifactSections, SandboxArtifactsListsEveryDump) {
  EXPECT_EQ(sandbox_artifacts_section({}), nullptr);
  auto s = sandbox_artifacts_section({"1_hollowshunter/hh_process_1234_7ff0.a.exe", "2_hollowshunter/hh_process_99_x.dll"});
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->title, "Sandbox Artifacts");
  EXPECT_TRUE(s->auto_collapse);
  const auto& hh = *s->children.at(0);
  EXPECT_EQ(*hh.body_text(), "HollowsHunter dumped the following:\n\t- 1_hollowshunter/hh_process_1234_7ff0.a.exe\n"
                             "\t- 2_hollowshunter/hh_process_99_x.dll");
  EXPECT_EQ(hh.heuristic->heur_id, 32);
  EXPECT_EQ(hh.heuristic->signatures,
            (std::vector<std::pair<std::string, int>>{{"hollowshunter_exe", 1}, {"hollowshunter_dll", 1}}));
  EXPECT_EQ(hh.tags.values("dynamic.process.file_name")->size(), 2u);
}

TEST(PipelineArtifactSections, ScreenshotsWithAntivmNote) {
  EXPECT_EQ(screenshots_section(3, {}, true), nullptr);
  Artifact a{"/w/x.jpg", "3_shots/0001.jpg", "Screenshot captured during analysis", "ab", true, true};
  auto s = screenshots_section(3, {a}, true);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->title, "Screenshots taken during Task 3");
  ASSERT_EQ(s->data.size(), 2u);
  EXPECT_EQ(s->data[0][0], "TEXT");
  EXPECT_EQ(s->data[1][0], "IMAGE");
  EXPECT_EQ(s->data[1][1][0]["img"], (Value{{"name", "3_shots/0001.jpg"}, {"description", "Screenshot captured during analysis"}, {"sha256", "ab"}}));
  EXPECT_EQ(s->data[1][1][0]["thumb"]["sha256"], "ab");
}

TEST(PipelineOntologyMerge, ListsAreConcatenatedScalarsKept) {
  Value a = Value::parse(R"({"sandboxes":[{"n":1}],"processes":[{"p":1}],"x":1})");
  Value b = Value::parse(R"({"sandboxes":[{"n":2}],"processes":[],"signatures":[{"s":1}],"x":2})");
  merge_ontology(a, b);
  EXPECT_EQ(a, Value::parse(R"({"sandboxes":[{"n":1},{"n":2}],"processes":[{"p":1}],"x":1,"signatures":[{"s":1}]})"));
  Value empty = Value::object();
  merge_ontology(empty, b);
  EXPECT_EQ(empty, b);
  merge_ontology(a, Value());  // a task without a report changes nothing
  EXPECT_EQ(a["sandboxes"].size(), 2u);
}

}  // namespace
}  // namespace alcape::pipeline
