// Reading report files: plain JSON, lite zips (built here with libzip), and every way a file can be unusable.
#include "analysis/analyze.hpp"
#include "report/reader.hpp"
#include "support/test_paths.hpp"

#include <gtest/gtest.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace alcape::report {
namespace {

namespace fs = std::filesystem;

class ReportFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("alcape-report-file-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& content) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }

  // A zip with the given entries; `store` keeps them uncompressed (so tests can corrupt the data in place).
  std::string make_zip(const std::string& name, const std::vector<std::pair<std::string, std::string>>& entries,
                       bool store = false) {
    fs::path p = dir_ / name;
    int err = 0;
    zip_t* za = zip_open(p.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    EXPECT_NE(za, nullptr);
    for (const auto& [entry, content] : entries) {
      zip_source_t* src = zip_source_buffer(za, content.data(), content.size(), 0);
      zip_int64_t idx = zip_file_add(za, entry.c_str(), src, ZIP_FL_OVERWRITE);
      EXPECT_GE(idx, 0);
      if (store) zip_set_file_compression(za, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0);
    }
    EXPECT_EQ(zip_close(za), 0);
    return p.string();
  }

  static std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  fs::path dir_;
};

constexpr const char* kReport = R"({"info": {"id": 42}, "behavior": {"processes": []}})";

TEST_F(ReportFile, PlainJson) {
  auto r = read_report_file(write("lite.json", kReport), {});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->info["id"], 42);
  EXPECT_EQ(r->source_bytes, std::string(kReport).size());
}

TEST_F(ReportFile, RepairedPlainJson) {
  auto r = read_report_file(write("lite.json", "{\"info\": {\"id\": NaN, \"s\": \"\xff\"}}"), {});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_TRUE(r->info["id"].is_null());
  EXPECT_EQ(r->notices.size(), 2u);
}

TEST_F(ReportFile, LiteZipIsDetectedByContent) {
  std::string zip = make_zip("report.bin", {{"reports/lite.json", kReport}, {"shots/0001.jpg", "jpg"}});
  auto r = read_report_file(zip, {});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->info["id"], 42);
  auto text = read_lite_json_from_zip(zip, 1 << 20);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text.value(), kReport);
}

TEST_F(ReportFile, LiteZipUnderATaskFolder) {
  auto r = read_report_file(make_zip("a.zip", {{"4103/reports/lite.json", kReport}}), {});
  ASSERT_TRUE(r.ok()) << r.error().describe();
  EXPECT_EQ(r->info["id"], 42);
}

TEST_F(ReportFile, ZipWithoutReport) {
  for (const char* entry : {"reports/report.json", "xreports/lite.json", "lite.json"}) {
    auto r = read_report_file(make_zip("a.zip", {{entry, kReport}}), {});
    ASSERT_FALSE(r.ok()) << entry;
    EXPECT_EQ(r.error().code, ErrorCode::kZipNoReport) << entry;
    EXPECT_NE(r.error().describe().find("a.zip: the zip has no reports/lite.json"), std::string::npos);
  }
}

TEST_F(ReportFile, BrokenZip) {
  auto r = read_report_file(write("broken.zip", std::string("PK\x03\x04") + std::string(100, '\x01')), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kZipInvalid);
  // A zip cut in the middle loses its central directory.
  std::string whole = slurp(make_zip("whole.zip", {{"reports/lite.json", std::string(5000, ' ') + kReport}}));
  auto cut = read_report_file(write("cut.zip", whole.substr(0, whole.size() / 2)), {});
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.error().code, ErrorCode::kZipInvalid);
}

TEST_F(ReportFile, CorruptZipEntryData) {
  std::string content = std::string(kReport) + std::string(200, ' ');
  std::string bytes = slurp(make_zip("ok.zip", {{"reports/lite.json", content}}, /*store=*/true));
  size_t at = bytes.find("\"info\"");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 1] = 'X';  // the stored data no longer matches its CRC
  auto r = read_report_file(write("crc.zip", bytes), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kZipInvalid);
  EXPECT_NE(r.error().message.find("truncated or corrupt"), std::string::npos) << r.error().message;
}

TEST_F(ReportFile, ZipEntryOverTheLimitIsNotInflated) {
  ReadOptions o;
  o.max_bytes = 100;
  auto r = read_report_file(make_zip("big.zip", {{"reports/lite.json", std::string(1000, ' ') + kReport}}), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kTooLarge);
}

TEST_F(ReportFile, InvalidJsonInsideZipNamesTheEntry) {
  auto r = read_report_file(make_zip("a.zip", {{"reports/lite.json", "{\"info\": [1,,]}"}}), {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidJson);
  EXPECT_NE(r.error().context.find("a.zip:reports/lite.json"), std::string::npos);
}

TEST_F(ReportFile, UnusableFiles) {
  auto missing = read_report_file((dir_ / "nope.json").string(), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kUnreadable);

  auto directory = read_report_file(dir_.string(), {});
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code, ErrorCode::kUnreadable);

  auto empty = read_report_file(write("empty.json", ""), {});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::kNotJson);
  EXPECT_EQ(empty.error().message, "the file is empty");

  auto text = read_report_file(write("notes.txt", "just some text\n"), {});
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().code, ErrorCode::kNotJson);

  auto top = read_report_file(write("list.json", "[1, 2, 3]"), {});
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.error().code, ErrorCode::kInvalidReport);

  ReadOptions small;
  small.max_bytes = 5;
  auto big = read_report_file(write("big.json", kReport), small);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);

  ReadOptions shallow;
  shallow.max_depth = 2;
  auto deep = read_report_file(write("deep.json", R"({"info": {"a": [1]}})"), shallow);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, ErrorCode::kTooDeep);
}

// The "Report Reading Notices" section is a deviation only because it never appears on clean reports: every
// bundled report must read without a notice, with and without the analysis' filters.
TEST(BundledReports, ReadWithoutNotices) {
  for (const ReadOptions& options : {ReadOptions{}, analysis::analysis_read_options()}) {
    for (const auto& dir : testing::conformance_cases()) {
      auto r = read_report_file((dir / "Report" / "reports" / "lite.json").string(), options);
      ASSERT_TRUE(r.ok()) << r.error().describe();
      EXPECT_TRUE(r->notices.empty()) << dir << ": " << r->notices.front();
    }
  }
}

}  // namespace
}  // namespace alcape::report
