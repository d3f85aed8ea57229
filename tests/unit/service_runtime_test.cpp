// The native runtime against the in-process AL emulator, with the pipeline injected (protocol alone).
#include "emulators/al/al_server.hpp"
#include "service/log.hpp"
#include "service/manifest.hpp"
#include "service/native_runtime.hpp"
#include "service/result_builder.hpp"

#include "support/test_paths.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

namespace alcape::service {
namespace {

struct Fixture {
  emulators::al::AlEmulator emulator{emulators::al::AlEmulatorOptions{}};
  int port = 0;
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("alcape-rt-" + std::to_string(getpid()));

  Fixture() {
    log::set_level(log::Level::kError);
    port = emulator.start().value();
    std::filesystem::create_directories(dir);
  }
  ~Fixture() {
    emulator.stop();
    std::filesystem::remove_all(dir);
  }

  NativeOptions options(PipelineFn fn, long tasks) {
    NativeOptions o;
    o.server.base_url = "http://127.0.0.1:" + std::to_string(port);
    o.server.api_key = "ThisIsARandomAuthKey...ChangeMe!";
    o.server.service_version = "4.7.0.dev0";
    o.server.tool_version = "t1";
    o.server.long_poll_seconds = 1;
    o.server.backoff_base = std::chrono::milliseconds(10);
    o.manifest = manifest_json(generate_manifest_yaml(), "").value();
    o.setup.identity = {"CAPE", "4.7.0.dev0", "t1"};
    o.pipeline = std::move(fn);
    o.task_limit = tasks;
    o.work_root = dir;
    o.fetch_safelist = true;
    return o;
  }

  emulators::al::TaskSpec sample(const std::string& name, const std::string& content) {
    auto p = dir / name;
    std::ofstream(p, std::ios::binary) << content;
    emulators::al::TaskSpec t;
    t.file = p;
    return t;
  }
};

TEST(ServiceRuntime, PostsResultWithUploadsAndEchoesTask) {
  Fixture f;
  auto spec = f.sample("a.exe", "MZ sample a");
  spec.service_config = {{"analysis_timeout_in_seconds", 77}};  // the user's choice for this task
  ASSERT_TRUE(f.emulator.enqueue(spec).ok());
  bool got_safelist = false;
  std::string seen_param;
  PipelineFn fake = [&](const pipeline::FileToAnalyse& file, const config::ServiceConfig&,
                        const config::SubmissionParams& params, const pipeline::RunOptions& run) {
    pipeline::Outcome o;
    got_safelist = run.safelist != nullptr;
    seen_param = params.dump();
    auto& s = o.root->add_child("Hello");
    s.add_line("from " + file.name);
    s.tags.add("network.dynamic.domain", "evil.example.org");
    auto p = run.work_dir / "drop.bin";
    std::ofstream(p, std::ios::binary) << "dropped";
    o.extracted.push_back({p, "drop.bin", "a drop", "", false, false});
    return o;
  };
  std::atomic<bool> stop{false};
  EXPECT_EQ(run_native(f.options(fake, 1), stop), 0);
  json::Value st = f.emulator.state();
  ASSERT_EQ(st["results"].size(), 1u) << st.dump();
  EXPECT_TRUE(st["bad_requests"].empty()) << st["bad_requests"].dump();
  EXPECT_EQ(st["results"][0]["task"], st["tasks"][0]);
  const json::Value& r = st["results"][0]["result"];
  EXPECT_EQ(r["result"]["sections"][0]["title_text"], "Hello");
  EXPECT_EQ(r["result"]["sections"][0]["tags"]["network"]["dynamic"]["domain"][0], "evil.example.org");
  EXPECT_EQ(r["response"]["extracted"][0]["name"], "drop.bin");
  ASSERT_EQ(st["uploads"].size(), 1u);
  EXPECT_EQ(st["uploads"][0]["sha256"], r["response"]["extracted"][0]["sha256"]);
  EXPECT_EQ(st["post_rounds"][0]["freshen"], true);
  EXPECT_EQ(st["post_rounds"][1]["freshen"], false);
  EXPECT_TRUE(got_safelist);
  // the task's submission params reach the pipeline (with the registered defaults for the others)
  EXPECT_NE(seen_param.find("analysis_timeout_in_seconds"), std::string::npos);
  EXPECT_NE(seen_param.find("\"analysis_timeout_in_seconds\":77"), std::string::npos) << seen_param;
}

TEST(ServiceRuntime, FailureDispositionComesFromTheOutcome) {
  Fixture f;
  ASSERT_TRUE(f.emulator.enqueue(f.sample("b.exe", "MZ sample b")).ok());
  PipelineFn fake = [](const pipeline::FileToAnalyse&, const config::ServiceConfig&, const config::SubmissionParams&,
                       const pipeline::RunOptions&) {
    pipeline::Outcome o;
    o.failure = Disposition::kNonRecoverable;
    o.error = Error{ErrorCode::kTaskFailed, "CAPE failed the analysis", "task 7 on 127.0.0.1:8000"};
    return o;
  };
  std::atomic<bool> stop{false};
  EXPECT_EQ(run_native(f.options(fake, 1), stop), 0);
  json::Value st = f.emulator.state();
  ASSERT_EQ(st["errors"].size(), 1u);
  const json::Value& e = st["errors"][0]["error"];
  EXPECT_EQ(e["response"]["status"], "FAIL_NONRECOVERABLE");
  EXPECT_EQ(e["type"], "EXCEPTION");
  EXPECT_NE(e["response"]["message"].get<std::string>().find("task 7 on 127.0.0.1:8000"), std::string::npos);
}

TEST(ServiceRuntime, StripStableAndOwnBudget) {
  EXPECT_EQ(strip_stable("4.7.0.stable5"), "4.7.0.5");
  EXPECT_EQ(own_budget(800).count(), 740);
  EXPECT_EQ(own_budget(3).count(), 1);
  EXPECT_LT(own_budget(60).count(), 60);
}

TEST(ServiceLog, JsonLineInAlFormat) {
  json::Value j = json::Value::parse(log::format_line(log::Level::kWarning, "hello \"x\""));
  EXPECT_EQ(j["log"]["level"], "WARNING");
  EXPECT_EQ(j["log"]["logger"], "assemblyline.service.cape");
  EXPECT_EQ(j["message"], "hello \"x\"");
  EXPECT_TRUE(j.contains("@timestamp") && j.contains("host") && j.contains("process") && j.contains("event"));
}

}  // namespace
}  // namespace alcape::service
