// The CAPE nest emulator's upload rules (cape-api.md §2.4 steps 4 and 6): archive demux into one task per member
// (junk filter, demux_files_limit, encrypted members, `file=` / package), PE trimming and ignore_size_check, and
// the demux limits that protect the emulator from a hostile zip.
#include "emulators/nest/emulator.hpp"
#include "emulators/nest/upload.hpp"
#include "support/test_paths.hpp"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>
#include <zip.h>

#include <chrono>
#include <map>
#include <thread>

namespace alcape::emulators::nest {
namespace {

namespace fs = std::filesystem;
using json::Value;

const std::string kSha = "5c186e41a0856e578b68a6ed068bb0ffe3d9c177a51502b3eacebdf51981bbd9";
const std::string kOtherSha = "b145e2ec11257461442f8a42e1b34b303ff7eba7b27a8b65cb0ae6ac67950d10";
fs::path samples_dir() { return alcape::testing::data_dir() / "samples"; }
std::string accept_ex() { return alcape::testing::read_file(samples_dir() / kSha / "AcceptEx.exe"); }
std::string apc_inject() { return alcape::testing::read_file(samples_dir() / kOtherSha / "apc-inject.exe"); }

struct Member {
  std::string name;
  std::string content;
  std::string password;  // non-empty: AES-256 encrypted
  Member(std::string n, std::string c, std::string p = "") : name(std::move(n)), content(std::move(c)), password(std::move(p)) {}
};

// A zip made with libzip (directories for names ending in '/').
std::string make_zip(const std::vector<Member>& members) {
  const fs::path p = fs::temp_directory_path() / ("alcape_upload_" + std::to_string(::getpid()) + ".zip");
  int err = 0;
  zip_t* za = zip_open(p.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  EXPECT_NE(za, nullptr);
  for (const auto& m : members) {
    if (!m.name.empty() && m.name.back() == '/') {
      zip_dir_add(za, m.name.c_str(), 0);
      continue;
    }
    zip_source_t* src = zip_source_buffer(za, m.content.data(), m.content.size(), 0);
    const zip_int64_t idx = zip_file_add(za, m.name.c_str(), src, ZIP_FL_ENC_UTF_8);
    EXPECT_GE(idx, 0);
    if (!m.password.empty()) {
      EXPECT_EQ(zip_file_set_encryption(za, static_cast<zip_uint64_t>(idx), ZIP_EM_AES_256, m.password.c_str()), 0);
    }
  }
  EXPECT_EQ(zip_close(za), 0);
  std::string data = alcape::testing::read_file(p);
  fs::remove(p);
  return data;
}

struct Nest {
  explicit Nest(const std::string& extra = "")
      : emu(Options{samples_dir(),
                    Scenario::from_yaml("durations: {pending_ms: 10, starting_ms: 10, running_ms: 10, processing_ms: 10}\n" +
                                        extra)
                        .value(),
                    false}) {
    EXPECT_TRUE(emu.start("127.0.0.1", 0).ok());
  }
  Value create(const std::string& content, const std::string& name, std::map<std::string, std::string> fields = {}) {
    httplib::Client c("127.0.0.1", emu.port());
    httplib::MultipartFormDataItems items = {{"file", content, name, "application/octet-stream"}};
    for (const auto& [k, v] : fields) items.push_back({k, v, "", ""});
    auto r = c.Post("/apiv2/tasks/create/file/", items);
    EXPECT_TRUE(r && r->status == 200);
    return r ? Value::parse(r->body, nullptr, false) : Value();
  }
  Value task(int64_t id) {
    const Value all = emu.tasks_json();
    for (const auto& t : all["tasks"])
      if (t["id"] == id) return t;
    return Value();
  }
  Emulator emu;
};

TEST(NestEmulatorUpload, ZipIsDemuxedIntoOneTaskPerMember) {
  Nest n;
  const std::string zip = make_zip({{"bin/", ""},
                                    {"bin/AcceptEx.exe", accept_ex()},
                                    {"apc.exe", apc_inject()},
                                    {"README.md", "# read me"},
                                    {"LICENSE", "MIT"},
                                    {"empty.dll", ""},
                                    {".git/config", "[core]"}});
  Value r = n.create(zip, "bundle.zip");
  ASSERT_EQ(r["error"], false) << r.dump();
  EXPECT_EQ(r["data"]["task_ids"], Value::parse("[1, 2]"));
  EXPECT_EQ(r["data"]["message"], "Task IDs 1, 2 have been submitted");
  // Several ids: CAPE's urls have no trailing slash.
  EXPECT_EQ(r["url"], Value::parse(R"(["http://example.tld/submit/status/1", "http://example.tld/submit/status/2"])"));
  // The junk is listed even though the call succeeded.
  EXPECT_EQ(r["errors"], Value::parse(R"([{"junk_filter": "File README.md skipped by junk filter"},
                                          {"junk_filter": "File LICENSE skipped by junk filter"},
                                          {"junk_filter": "File empty.dll skipped by junk filter"},
                                          {"junk_filter": "File config skipped by junk filter"}])"));
  // Each task's sample is its member: the member's sha256 picks the recorded report.
  EXPECT_EQ(n.task(1)["target"], "AcceptEx.exe");
  EXPECT_EQ(n.task(1)["sha256"], kSha);
  EXPECT_EQ(n.task(1)["sample_folder"], kSha);
  EXPECT_EQ(n.task(2)["target"], "apc.exe");
  EXPECT_EQ(n.task(2)["sha256"], kOtherSha);
  EXPECT_EQ(n.emu.calls().back().task_id, 1);
}

TEST(NestEmulatorUpload, OneMemberIsOneTaskWithTheSingularMessage) {
  Nest n;
  Value r = n.create(make_zip({{"AcceptEx.exe", accept_ex()}}), "one.zip");
  ASSERT_EQ(r["error"], false) << r.dump();
  EXPECT_EQ(r["data"]["task_ids"], Value::parse("[1]"));
  EXPECT_EQ(r["data"]["message"], "Task ID 1 has been submitted");
  EXPECT_EQ(r["url"], Value::parse(R"(["http://example.tld/submit/status/1/"])"));
  EXPECT_EQ(r["errors"], Value::array());
  EXPECT_EQ(n.task(1)["sha256"], kSha);
}

TEST(NestEmulatorUpload, FileOptionOrPackageKeepsTheArchiveWhole) {
  Nest n;
  const std::string zip = make_zip({{"a.exe", accept_ex()}, {"b.exe", apc_inject()}});
  for (const auto& fields : std::vector<std::map<std::string, std::string>>{
           {{"options", "file=,procmemdump=1"}}, {{"package", "zip"}}, {{"options", "file=b.exe"}}}) {
    Value r = n.create(zip, "keep.zip", fields);
    ASSERT_EQ(r["error"], false) << r.dump();
    ASSERT_EQ(r["data"]["task_ids"].size(), 1u) << r.dump();
    const Value t = n.task(r["data"]["task_ids"][0].get<int64_t>());
    EXPECT_EQ(t["target"], "keep.zip");
    EXPECT_EQ(t["sample_folder"], nullptr);  // the archive has no recorded report
  }
  // ZIP containers that CAPE identifies as documents or Java archives are not unpacked either.
  for (const char* marker : {"[Content_Types].xml", "META-INF/MANIFEST.MF"}) {
    Value doc = n.create(make_zip({{marker, "<x/>"}, {"a.exe", accept_ex()}}), "doc.docx");
    EXPECT_EQ(doc["data"]["task_ids"].size(), 1u) << marker;
    EXPECT_EQ(doc["errors"], Value::array());
  }
  Nest off("demux: false\n");
  EXPECT_EQ(off.create(zip, "keep.zip")["data"]["task_ids"].size(), 1u);
}

TEST(NestEmulatorUpload, DemuxFilesLimitReportsTheRest) {
  Nest n("demux_files_limit: 2\n");
  Value r = n.create(make_zip({{"1.exe", accept_ex()}, {"2.exe", apc_inject()}, {"3.exe", "MZ third"}}), "three.zip");
  ASSERT_EQ(r["error"], false) << r.dump();
  EXPECT_EQ(r["data"]["task_ids"].size(), 2u);
  EXPECT_EQ(r["errors"], Value::parse(R"([{"3.exe": "Demux files limit (2) reached; file not submitted"}])"));
  EXPECT_EQ(Scenario{}.demux_files_limit, 10);  // web.conf.default
}

TEST(NestEmulatorUpload, EncryptedMembersUseThePasswordOptionOrInfected) {
  if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1)) GTEST_SKIP() << "libzip without AES";
  Nest n;
  const std::string zip = make_zip({{"infected.exe", accept_ex(), "infected"}, {"secret.exe", apc_inject(), "s3cret"}});
  Value r = n.create(zip, "locked.zip");
  ASSERT_EQ(r["error"], false) << r.dump();
  EXPECT_EQ(r["data"]["task_ids"].size(), 1u);  // sflock's default password opens the first only
  EXPECT_EQ(r["errors"], Value::parse(
                             R"([{"secret.exe": "Encrypted file could not be decrypted (wrong or missing password); skipped"}])"));
  Value with = n.create(zip, "locked.zip", {{"options", "password=s3cret"}});
  ASSERT_EQ(with["data"]["task_ids"].size(), 1u) << with.dump();
  EXPECT_EQ(n.task(with["data"]["task_ids"][0].get<int64_t>())["sha256"], kOtherSha);
}

TEST(NestEmulatorUpload, OnlyJunkInsideSubmitsTheArchiveItself) {
  Nest n;
  Value r = n.create(make_zip({{"notes.txt", "hello"}}), "junk.zip");
  ASSERT_EQ(r["error"], false) << r.dump();
  EXPECT_EQ(r["data"]["task_ids"].size(), 1u);
  EXPECT_EQ(n.task(1)["target"], "junk.zip");
  EXPECT_EQ(r["errors"], Value::parse(R"([{"junk_filter": "File notes.txt skipped by junk filter"}])"));
}

TEST(NestEmulatorUpload, OversizeMembersAreRefusedInErrors) {
  Nest n("max_sample_size: 100000\n");
  Value r = n.create(make_zip({{"big.exe", std::string(200000, 'A')}, {"small.exe", "MZ small"}}), "mixed.zip");
  ASSERT_EQ(r["error"], false) << r.dump();
  EXPECT_EQ(r["data"]["task_ids"].size(), 1u);
  EXPECT_EQ(r["errors"], Value::parse(R"([{"big.exe": "File too big, enable 'allow_ignore_size' in web.conf or use 'ignore_size_check' option"}])"));
}

// HEAD (2026 profile) applies the junk filter to the upload itself: no task, "Error adding task to database".
TEST(NestEmulatorUpload, JunkUploadIsRefusedByTheHeadProfile) {
  Nest head("profile: \"2026\"\n");
  Value r = head.create("MZ not really", "LICENSE.exe");
  EXPECT_EQ(r["error"], true);
  EXPECT_EQ(r["error_value"], "Error adding task to database");
  EXPECT_EQ(r["errors"], Value::parse(R"([{"junk_filter": "File LICENSE.exe skipped by junk filter"}])"));
  Nest old;  // 2025: no junk filter
  EXPECT_EQ(old.create("MZ not really", "LICENSE.exe")["error"], false);
}

// The emulator's own limits (not CAPE's): entry count, member size, total bytes read.
TEST(NestEmulatorUpload, HostileZipLimits) {
  Scenario sc;
  std::vector<Member> many;
  for (int i = 0; i < 6; ++i) many.push_back({std::to_string(i) + ".exe", "MZ" + std::to_string(i)});
  DemuxLimits tight;
  tight.max_entries = 5;
  PreparedUpload p = prepare_upload(sc, "many.zip", make_zip(many), "", "", tight);
  ASSERT_EQ(p.files.size(), 1u);  // not unpacked: the archive itself
  EXPECT_EQ(p.files[0].name, "many.zip");
  EXPECT_EQ(p.errors, Value::parse(R"([{"many.zip": "Archive has 6 entries (emulator limit 5); not unpacked"}])"));

  DemuxLimits small;
  small.max_member_bytes = 1000;
  small.max_total_bytes = 1500;
  p = prepare_upload(sc, "x.zip",
                     make_zip({{"huge.exe", std::string(5000, 'A')}, {"a.exe", std::string(900, 'B')},
                               {"b.exe", std::string(900, 'C')}}),
                     "", "", small);
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_EQ(p.files[0].name, "a.exe");
  EXPECT_EQ(p.errors.size(), 2u);  // huge.exe over the member limit, b.exe over the total
  EXPECT_EQ(p.errors[0]["huge.exe"], "File too big for the emulator's demux limits; skipped");
  EXPECT_EQ(p.errors[1]["b.exe"], "File too big for the emulator's demux limits; skipped");

  // Not a zip at all, or a broken one: the upload itself.
  p = prepare_upload(sc, "fake.zip", std::string("PK\x03\x04garbage", 11), "", "");
  ASSERT_EQ(p.files.size(), 1u);
  EXPECT_EQ(p.files[0].name, "fake.zip");
  EXPECT_TRUE(p.errors.empty());
}

// §2.4 step 4: enable_trim cuts a PE's overlay; allow_ignore_size + ignore_size_check accepts it whole.
TEST(NestEmulatorUpload, TrimAndIgnoreSizeCheck) {
  const std::string pe = accept_ex();  // 142336 bytes, no overlay of its own
  const std::string with_overlay = pe + std::string(100000, '\xCC');
  const std::string limit = "max_sample_size: 200000\n";
  ASSERT_EQ(pe_overlay_offset(with_overlay), pe.size());

  Nest plain(limit);
  EXPECT_EQ(plain.create(with_overlay, "big.exe")["errors"][0]["big.exe"],
            "Uploaded file exceeds the maximum allowed size in conf/web.conf. Sample size is: 0 Allowed size is: 0");

  Nest trim(limit + "enable_trim: true\n");
  Value r = trim.create(with_overlay, "big.exe");
  ASSERT_EQ(r["error"], false) << r.dump();
  EXPECT_EQ(trim.task(1)["target"], "trimmed_big.exe");
  EXPECT_EQ(trim.task(1)["sha256"], kSha);  // the trimmed file is the original sample: its report is served
  // Not a PE: nothing to trim, demux.py's "File too big" (2025 text; HEAD names the file).
  EXPECT_EQ(trim.create(std::string(300000, 'x'), "big.bin")["errors"][0]["big.bin"],
            "File too big, enable 'allow_ignore_size' in web.conf or use 'ignore_size_check' option");
  Nest trim26(limit + "enable_trim: true\nprofile: \"2026\"\n");
  EXPECT_EQ(trim26.create(std::string(300000, 'x'), "big.bin")["errors"][0]["big.bin"],
            "File too big (big.bin), enable 'allow_ignore_size' in web.conf or use 'ignore_size_check' option");

  Nest ignore(limit + "allow_ignore_size: true\n");
  EXPECT_EQ(ignore.create(with_overlay, "big.exe")["error"], true);  // the option is still needed
  r = ignore.create(with_overlay, "big.exe", {{"options", "ignore_size_check=1"}});
  ASSERT_EQ(r["error"], false) << r.dump();
  const Value t = ignore.task(r["data"]["task_ids"][0].get<int64_t>());
  EXPECT_EQ(t["target"], "big.exe");
  EXPECT_NE(t["sha256"], kSha);  // accepted whole
}

}  // namespace
}  // namespace alcape::emulators::nest
