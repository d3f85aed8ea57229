#include "artifacts/classify.hpp"
#include "artifacts/safe_unzip.hpp"

#include <gtest/gtest.h>
#include <zip.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace alcape::artifacts {
namespace {

namespace fs = std::filesystem;

const fs::path kSamples = fs::path(ALCAPE_TEST_DATA) / "samples";
const char* kEtwSample = "9393a56f957a93bc2af2aafc73421aaa1c372c7d9decf92a2734d1b4a8253fb2";

class TempDir {
 public:
  TempDir() {
    static int n = 0;
    path_ = fs::temp_directory_path() /
            ("alcape_artifacts_" + std::to_string(::getpid()) + "_" + std::to_string(++n));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Entry {
  std::string name;
  std::string data;
  uint32_t unix_mode = 0;  // 0: not set
};

fs::path make_zip(const fs::path& path, const std::vector<Entry>& entries, bool store = false) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  EXPECT_NE(z, nullptr);
  for (const auto& e : entries) {
    zip_int64_t idx;
    if (!e.name.empty() && e.name.back() == '/') {
      idx = zip_dir_add(z, e.name.c_str(), ZIP_FL_ENC_UTF_8);
    } else {
      zip_source_t* src = zip_source_buffer(z, e.data.data(), e.data.size(), 0);
      idx = zip_file_add(z, e.name.c_str(), src, ZIP_FL_ENC_RAW | ZIP_FL_OVERWRITE);
    }
    EXPECT_GE(idx, 0) << e.name << " " << zip_strerror(z);
    if (store) zip_set_file_compression(z, idx, ZIP_CM_STORE, 0);
    if (e.unix_mode) zip_file_set_external_attributes(z, idx, 0, ZIP_OPSYS_UNIX, e.unix_mode << 16);
  }
  EXPECT_EQ(zip_close(z), 0);
  return path;
}

// Zips a sample's Report folder (what CAPE's lite zip holds).
fs::path zip_report(const fs::path& report, const fs::path& out) {
  std::vector<Entry> entries;
  for (const auto& f : fs::recursive_directory_iterator(report)) {
    if (!f.is_regular_file()) continue;
    std::ifstream in(f.path(), std::ios::binary);
    entries.push_back({fs::relative(f.path(), report).generic_string(),
                       std::string(std::istreambuf_iterator<char>(in), {})});
  }
  return make_zip(out, entries);
}

TEST(ArtifactsUnzip, ExtractsRegularEntries) {
  TempDir t;
  auto zip = make_zip(t.path() / "a.zip", {{"reports/", ""}, {"reports/lite.json", "{}"}, {"dump.pcap", "pcap"}});
  auto r = extract_zip(zip, t.path() / "out");
  ASSERT_TRUE(r.ok()) << r.error().describe();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ(r->at(0).zip_name, "reports/lite.json");
  EXPECT_EQ(r->at(0).size, 2u);
  EXPECT_TRUE(fs::is_regular_file(t.path() / "out" / "dump.pcap"));
}

void expect_refused(const std::vector<Entry>& entries, ErrorCode code, const std::string& names,
                    const ExtractLimits& limits = {}, bool store = false) {
  TempDir t;
  auto zip = make_zip(t.path() / "h.zip", entries, store);
  auto r = extract_zip(zip, t.path() / "out", limits);
  ASSERT_FALSE(r.ok()) << names;
  EXPECT_EQ(r.error().code, code) << r.error().describe();
  EXPECT_NE(r.error().message.find(names), std::string::npos) << r.error().message;
  // Nothing escaped the destination folder.
  for (const auto& f : fs::recursive_directory_iterator(t.path())) {
    EXPECT_TRUE(f.path().string().rfind((t.path() / "out").string(), 0) == 0 || f.path() == zip)
        << f.path();
  }
}

TEST(ArtifactsUnzip, RefusesTraversalAbsoluteAndLinks) {
  expect_refused({{"ok.txt", "x"}, {"../evil.txt", "x"}}, ErrorCode::kZipInvalid, "'../evil.txt'");
  expect_refused({{"a/../../evil.txt", "x"}}, ErrorCode::kZipInvalid, "a/../../evil.txt");
  expect_refused({{"/etc/evil", "x"}}, ErrorCode::kZipInvalid, "/etc/evil");
  expect_refused({{"C:/evil", "x"}}, ErrorCode::kZipInvalid, "C:/evil");
  expect_refused({{"a\\..\\evil", "x"}}, ErrorCode::kZipInvalid, "evil");
  expect_refused({{"link", "/etc/passwd", S_IFLNK | 0777}}, ErrorCode::kZipInvalid, "'link' is a link");
  expect_refused({{"fifo", "", S_IFIFO | 0644}}, ErrorCode::kZipInvalid, "'fifo'");
}

TEST(ArtifactsUnzip, RefusesTooManyAndTooLarge) {
  ExtractLimits few;
  few.max_entries = 2;
  expect_refused({{"a", "1"}, {"b", "2"}, {"c", "3"}}, ErrorCode::kTooLarge, "3 entries", few);
  ExtractLimits small;
  small.max_total_bytes = 10;
  expect_refused({{"a", "123456"}, {"b", "123456"}}, ErrorCode::kTooLarge, "'b'", small);
  ExtractLimits entry;
  entry.max_entry_bytes = 4;
  expect_refused({{"big", "12345"}}, ErrorCode::kTooLarge, "'big'", entry);
}

TEST(ArtifactsUnzip, RefusesZipBombRatio) {
  ExtractLimits l;
  l.ratio_min_bytes = 1024;
  l.max_ratio = 50;
  expect_refused({{"zeros.bin", std::string(4 << 20, '\0')}}, ErrorCode::kTooLarge, "'zeros.bin' expands", l);
  // Stored (uncompressed) data is never a ratio problem.
  TempDir t;
  auto zip = make_zip(t.path() / "s.zip", {{"zeros.bin", std::string(1 << 20, '\0')}}, true);
  EXPECT_TRUE(extract_zip(zip, t.path() / "out", l).ok());
}

TEST(ArtifactsUnzip, NotAZipAndMissing) {
  TempDir t;
  std::ofstream(t.path() / "x.zip") << "{\"error\": true}";
  auto r = extract_zip(t.path() / "x.zip", t.path() / "out");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotZip);
  auto m = extract_zip(t.path() / "missing.zip", t.path() / "out");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().code, ErrorCode::kUnreadable);
}

TEST(ArtifactsNames, Sanitised) {
  EXPECT_EQ(sanitise_name("1_shots/0001.jpg"), "1_shots/0001.jpg");
  EXPECT_EQ(sanitise_name("1_a<b>|c?.exe"), "1_a_b_c_.exe");
  EXPECT_EQ(sanitise_name("../x/./y"), "_/x/_/y");
  EXPECT_EQ(sanitise_name(""), "file");
  std::string longname(300, 'a');
  auto s = sanitise_name(longname + ".exe");
  EXPECT_EQ(s.size(), 200u);
  EXPECT_EQ(s.substr(196), ".exe");
}

const Artifact* find(const std::vector<Artifact>& v, const std::string& name) {
  auto it = std::find_if(v.begin(), v.end(), [&](const Artifact& a) { return a.name == name; });
  return it == v.end() ? nullptr : &*it;
}

TEST(ArtifactsClassify, SampleReportFolder) {
  TempDir t;
  const fs::path zip = zip_report(kSamples / kEtwSample / "Report", t.path() / "lite.zip");
  auto entries = extract_zip(zip, t.path() / "x");
  ASSERT_TRUE(entries.ok()) << entries.error().describe();
  ClassifyInput in;
  in.task_id = 7;
  in.report_zip = zip;
  in.extracted_dir = t.path() / "x";
  in.work_dir = t.path();
  in.main_process_tuples = {{2500, "etw-dns-app.exe"}};
  in.powershell_commands = {"Get-Process", "whoami"};
  in.identify = [](const fs::path&) { return std::string("text/plain"); };
  auto r = classify_artifacts(in, config::default_config());
  ASSERT_TRUE(r.ok()) << r.error().describe();

  ASSERT_NE(find(r->supplementary, "7_cape_report.zip"), nullptr);
  EXPECT_EQ(find(r->supplementary, "7_cape_report.zip")->description, "CAPE Sandbox analysis report archive (zip)");
  ASSERT_NE(find(r->supplementary, "7_report.json"), nullptr);
  EXPECT_NE(find(r->supplementary, "7_files.json"), nullptr);
  ASSERT_NE(find(r->extracted, "7_dump.pcap"), nullptr);
  EXPECT_EQ(find(r->extracted, "7_dump.pcap")->description, "TCPDUMP captured during analysis");
  EXPECT_FALSE(find(r->extracted, "7_dump.pcap")->supplementary);
  // Dropped file named from files.json; text/plain → supplementary.
  ASSERT_NE(find(r->supplementary, "7_app.log"), nullptr);
  EXPECT_EQ(find(r->supplementary, "7_app.log")->description, "File extracted during analysis");
  // The main process' HollowsHunter dump is left out, with a reason.
  EXPECT_TRUE(std::any_of(r->skipped.begin(), r->skipped.end(), [](const auto& s) {
    return s.first == "hollowshunter/hh_process_2500_7ff6d5b70000.etw-dns-app.exe";
  }));
  EXPECT_TRUE(r->hollowshunter_dumps.empty());
  // Screenshots for the image section, sorted.
  ASSERT_FALSE(r->screenshots.empty());
  EXPECT_TRUE(r->screenshots.front().section_image);
  EXPECT_TRUE(std::is_sorted(r->screenshots.begin(), r->screenshots.end(),
                             [](const Artifact& a, const Artifact& b) { return a.name < b.name; }));
  // EVTX members extracted out of the inner zip.
  EXPECT_TRUE(std::any_of(r->extracted.begin(), r->extracted.end(), [](const Artifact& a) {
    return a.description == "EVTX generated during analysis";
  }));
  ASSERT_NE(find(r->extracted, "7_commands.ps1"), nullptr);
  std::ifstream cmds(find(r->extracted, "7_commands.ps1")->path);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(cmds), {}), "Get-Process\nwhoami\n");
  // Nothing lost: every entry of the zip is an artifact or has a reason (the inner evtx.zip via its members).
  for (const auto& e : entries.value()) {
    if (e.zip_name == "evtx/evtx.zip") continue;
    bool found = std::any_of(r->skipped.begin(), r->skipped.end(), [&](const auto& s) { return s.first == e.zip_name; });
    for (const auto* list : {&r->extracted, &r->supplementary, &r->screenshots}) {
      found = found || std::any_of(list->begin(), list->end(), [&](const Artifact& a) { return a.path == e.path; });
    }
    EXPECT_TRUE(found) << e.zip_name;
  }
  for (const auto& a : r->extracted) EXPECT_EQ(a.sha256.size(), 64u) << a.name;
}

TEST(ArtifactsClassify, CapeDumpsFollowTheDocumentedMeaning) {
  TempDir t;
  const std::string hit(64, 'a'), miss(64, 'b');
  fs::create_directories(t.path() / "x" / "CAPE");
  std::ofstream(t.path() / "x" / "CAPE" / hit) << "MZ payload";
  std::ofstream(t.path() / "x" / "CAPE" / miss) << "MZ other";
  ClassifyInput in;
  in.task_id = 3;
  in.extracted_dir = t.path() / "x";
  in.work_dir = t.path();
  in.cape_artifact_pids = json::Value::parse(R"([{"sha256": ")" + hit + R"(", "pid": 812, "is_yara_hit": true},
                                                {"sha256": ")" + miss + R"(", "pid": 900, "is_yara_hit": false}])");
  auto c = config::default_config();
  auto off = classify_artifacts(in, c);  // extract_cape_dumps false: kept, not extracted
  ASSERT_TRUE(off.ok());
  EXPECT_TRUE(off->extracted.empty());
  EXPECT_NE(find(off->supplementary, "3_812_CAPE/" + hit), nullptr);
  c.extract_cape_dumps = true;
  auto choosy = classify_artifacts(in, c);  // on, no deep scan: YARA hits only
  ASSERT_TRUE(choosy.ok());
  ASSERT_EQ(choosy->extracted.size(), 1u);
  EXPECT_EQ(choosy->extracted[0].name, "3_812_CAPE/" + hit);
  EXPECT_EQ(choosy->extracted[0].description, "Memory Dump");
  in.deep_scan = true;
  auto all = classify_artifacts(in, c);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->extracted.size(), 2u);
}

TEST(ArtifactsClassify, HollowsHunterRules) {
  TempDir t;
  const fs::path hh = t.path() / "x" / "hollowshunter";
  fs::create_directories(hh);
  std::ofstream(hh / "hh_process_1234_7ff0.evil-mod.dll") << "MZ\x90";
  std::ofstream(hh / "hh_process_1234_7ff1.notpe.exe") << "garbage";
  std::ofstream(hh / "hh_process_5555_7ff2.other.dll") << "MZ";
  std::ofstream(hh / "hh_process_1234_scan_report.json") << "{}";
  std::ofstream(hh / "hh_hollowshunter_hollows.log") << "trace";
  ClassifyInput in;
  in.task_id = 1;
  in.extracted_dir = t.path() / "x";
  in.work_dir = t.path();
  in.hollowshunter_pids = std::set<int64_t>{1234};  // 5555 is safelisted
  auto r = classify_artifacts(in, config::default_config());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->extracted.size(), 1u);
  EXPECT_EQ(r->extracted[0].name, "1_hollowshunter/hh_process_1234_7ff0.evil-mod.dll");
  EXPECT_EQ(r->hollowshunter_dumps, std::vector<std::string>{"1_hollowshunter/hh_process_1234_7ff0.evil-mod.dll"});
  EXPECT_NE(find(r->supplementary, "1_hollowshunter/hh_process_1234_scan_report.json"), nullptr);
  ASSERT_NE(find(r->supplementary, "1_hollows.log"), nullptr);
  EXPECT_EQ(find(r->supplementary, "1_hollows.log")->description, "HollowsHunter trace");
  EXPECT_EQ(r->skipped.size(), 2u);
}

TEST(ArtifactsClassify, DroppedFileRulesAndEmptyFiles) {
  TempDir t;
  fs::create_directories(t.path() / "x" / "files");
  std::ofstream(t.path() / "x" / "files" / "aaa") << "junk";
  std::ofstream(t.path() / "x" / "files" / "bbb") << "MZ";
  std::ofstream(t.path() / "x" / "files" / "ccc") << "recovery";
  std::ofstream(t.path() / "x" / "files" / "ddd");  // empty
  std::ofstream(t.path() / "x" / "odd.bin") << "?";
  ClassifyInput in;
  in.task_id = 2;
  in.extracted_dir = t.path() / "x";
  in.work_dir = t.path();
  in.submitted_file_type = "code/html";
  in.identify = [](const fs::path& p) {
    const std::string n = p.filename().string();
    return std::string(n == "aaa" ? "unknown" : n == "bbb" ? "executable/windows/pe32" : "document/office/recoverystore");
  };
  auto r = classify_artifacts(in, config::default_config());
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->extracted.size(), 1u);
  EXPECT_EQ(r->extracted[0].name, "2_files/bbb");
  EXPECT_EQ(r->skipped.size(), 3u);  // unknown, recovery store, empty
  EXPECT_NE(find(r->supplementary, "2_odd.bin"), nullptr);  // nothing lost
}

}  // namespace
}  // namespace alcape::artifacts
