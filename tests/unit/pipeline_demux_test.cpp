// A create answer with several task ids and `errors` on success (CAPE demuxed the upload, cape-api.md §2.4 step 6):
// al-cape follows the first task as the reference does, and keeps the other ids and the messages visible (log and
// a "CAPE Submission Notes" section). Against the in-process nest emulator.
#include "core/digest.hpp"
#include "emulators/nest/emulator.hpp"
#include "nest/client.hpp"
#include "pipeline/pipeline.hpp"
#include "support/pipeline_setup.hpp"
#include "support/temp_dir.hpp"
#include "support/test_paths.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <chrono>

namespace alcape::pipeline {
namespace {

namespace fs = std::filesystem;
namespace emu = emulators::nest;

const std::string kSha = "5c186e41a0856e578b68a6ed068bb0ffe3d9c177a51502b3eacebdf51981bbd9";
const std::string kOtherSha = "b145e2ec11257461442f8a42e1b34b303ff7eba7b27a8b65cb0ae6ac67950d10";

// A zip of two recorded samples and a junk member, written to `path`.
void write_zip(const fs::path& path) {
  const fs::path samples = alcape::testing::data_dir() / "samples";
  int err = 0;
  zip_t* za = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  ASSERT_NE(za, nullptr);
  for (const auto& [name, file] : std::vector<std::pair<std::string, fs::path>>{
           {"AcceptEx.exe", samples / kSha / "AcceptEx.exe"}, {"apc.exe", samples / kOtherSha / "apc-inject.exe"}})
    zip_file_add(za, name.c_str(), zip_source_file(za, file.c_str(), 0, -1), 0);
  static const char kReadme[] = "read me";
  zip_file_add(za, "README.md", zip_source_buffer(za, kReadme, sizeof kReadme - 1, 0), 0);
  ASSERT_EQ(zip_close(za), 0);
}

TEST(PipelineDemux, FirstTaskIsFollowedAndTheRestIsReported) {
  auto sc = emu::Scenario::from_yaml("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}");
  ASSERT_TRUE(sc.ok());
  emu::Emulator nest(emu::Options{alcape::testing::data_dir() / "samples", sc.value(), false});
  ASSERT_TRUE(nest.start("127.0.0.1", 0).ok());
  alcape::testing::TempDir dir("alcape_demux");  // removed even when an assertion ends the test early
  const fs::path tmp = dir.path;
  fs::create_directories(tmp / "work");
  write_zip(tmp / "bundle.tar");

  config::ServiceConfig config = alcape::testing::config_with_nest(nest.port());
  auto params = alcape::testing::win10x64_params();
  RunOptions o = alcape::testing::fast_run_options(tmp / "work");
  std::vector<std::string> logged;
  o.log = [&](const char*, const std::string& text) { logged.push_back(text); };
  // A type the planning does not protect with `file=` (only zip/7z/rar/iso/vhd/udf get it): CAPE unpacks e-mails
  // too. The emulator unpacks ZIPs only, so a ZIP stands in for the e-mail.
  FileToAnalyse file{tmp / "bundle.tar", digest::sha256_file(tmp / "bundle.tar").value(), "bundle.eml", "document/email"};
  Outcome out = run(file, config, params, o);

  ASSERT_TRUE(out.ok()) << (out.error ? out.error->describe() : "");
  ASSERT_EQ(nest.call_count("tasks/create/file"), 1u);
  EXPECT_EQ(nest.calls()[0].form.count("package"), 0u);
  // Task 1 (AcceptEx.exe) is analysed and deleted; task 2 is not touched.
  EXPECT_GE(nest.call_count("tasks/view", 1), 1u);
  EXPECT_EQ(nest.call_count("tasks/report", 1), 1u);
  EXPECT_EQ(nest.call_count("tasks/delete", 1), 1u);
  EXPECT_EQ(nest.call_count("tasks/view", 2), 0u);
  EXPECT_EQ(nest.call_count("tasks/delete", 2), 0u);

  ASSERT_FALSE(out.root->children.empty());
  const result::Section& target = *out.root->children[0];
  const result::Section* notes = nullptr;
  for (const auto& c : target.children)
    if (c->title == "CAPE Submission Notes") notes = c.get();
  ASSERT_NE(notes, nullptr);
  const std::string text = notes->body_text().value_or("");
  EXPECT_NE(text.find("CAPE created 2 tasks for this file (it unpacked it); only task 1 is analysed, task 2 is "
                      "left on the nest"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("CAPE: File README.md skipped by junk filter"), std::string::npos) << text;
  bool logged_junk = false;
  for (const auto& l : logged) logged_junk = logged_junk || l.find("README.md skipped by junk filter") != std::string::npos;
  EXPECT_TRUE(logged_junk);
  // The report analysed is AcceptEx.exe's (the first member's recorded report).
  EXPECT_EQ(out.ontology["sandboxes"].size(), 1u);
}

TEST(NestCreateMessages, EveryErrorsShapeBecomesAText) {
  auto m = nest::create_messages(json::Value::parse(R"([
      {"junk_filter": "File README.md skipped by junk filter"},
      {"big.exe": "File too big"},
      {"a.exe": {"error": "Check Tags help"}},
      {"option": "file=setup.exe"},
      "plain", 3])"));
  EXPECT_EQ(m, (std::vector<std::string>{"File README.md skipped by junk filter", "big.exe: File too big",
                                         "a.exe: Check Tags help", "option: file=setup.exe", "plain"}));
  EXPECT_TRUE(nest::create_messages(json::Value::object()).empty());
}

}  // namespace
}  // namespace alcape::pipeline
