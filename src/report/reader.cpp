#include "report/reader.hpp"

#include "report/mapped_file.hpp"
#include "report/stream_reader.hpp"

#include <zip.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

namespace alcape::report {
namespace {

bool looks_like_zip(std::string_view head) { return head.size() >= 2 && head.substr(0, 2) == "PK"; }

Error too_large(uint64_t size, uint64_t max_bytes, const std::string& what, const std::string& context) {
  return make_error(ErrorCode::kTooLarge,
                    what + " is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes),
                    context);
}

// An open lite zip positioned on its report entry.
struct ZipEntry {
  std::unique_ptr<zip_t, void (*)(zip_t*)> archive{nullptr, [](zip_t* z) { zip_discard(z); }};
  std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file{nullptr, zip_fclose};
  uint64_t size = 0;  // declared (uncompressed) size
};

// The report entry of a lite zip: reports/lite.json, possibly under a task-id folder.
zip_int64_t find_report_entry(zip_t* za) {
  zip_int64_t idx = zip_name_locate(za, "reports/lite.json", 0);
  if (idx >= 0) return idx;
  zip_int64_t n = zip_get_num_entries(za, 0);
  constexpr std::string_view kSuffix = "/reports/lite.json";
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(za, static_cast<zip_uint64_t>(i), 0);
    if (!name) continue;
    std::string_view nv(name);
    if (nv.size() > kSuffix.size() && nv.substr(nv.size() - kSuffix.size()) == kSuffix) return i;
  }
  return -1;
}

// Opens reports/lite.json of a lite zip, refusing it before inflating anything when it declares more than
// max_bytes.
StatusOr<std::unique_ptr<ZipEntry>> open_zip_entry(const std::string& zip_path, uint64_t max_bytes) {
  auto entry = std::make_unique<ZipEntry>();
  int zerr = 0;
  entry->archive.reset(zip_open(zip_path.c_str(), ZIP_RDONLY, &zerr));
  if (!entry->archive) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    std::string msg = std::string("not a readable zip archive: ") + zip_error_strerror(&ze);
    zip_error_fini(&ze);
    return make_error(ErrorCode::kZipInvalid, msg, zip_path);
  }
  zip_t* za = entry->archive.get();
  zip_int64_t idx = find_report_entry(za);
  if (idx < 0) return make_error(ErrorCode::kZipNoReport, "the zip has no reports/lite.json", zip_path);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(za, static_cast<zip_uint64_t>(idx), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    return make_error(ErrorCode::kZipInvalid, "cannot read the size of reports/lite.json", zip_path);
  if (st.size > max_bytes) return too_large(st.size, max_bytes, "reports/lite.json", zip_path);
  entry->size = st.size;
  entry->file.reset(zip_fopen_index(za, static_cast<zip_uint64_t>(idx), 0));
  if (!entry->file)
    return make_error(ErrorCode::kZipInvalid, std::string("cannot open reports/lite.json: ") + zip_strerror(za),
                      zip_path);
  return entry;
}

// Inflates the entry chunk by chunk into `sink`, stopping as soon as it passes its declared size (a lying
// header cannot make al-cape inflate more than max_bytes); libzip checks the CRC at the end.
template <typename Sink>
std::optional<Error> inflate_entry(ZipEntry& entry, const std::string& zip_path, Sink&& sink) {
  std::vector<char> buf(1 << 20);
  uint64_t total = 0;
  while (true) {
    zip_int64_t n = zip_fread(entry.file.get(), buf.data(), buf.size());
    if (n < 0)
      return make_error(ErrorCode::kZipInvalid,
                        std::string("reports/lite.json is truncated or corrupt in the zip: ") +
                            zip_file_strerror(entry.file.get()),
                        zip_path);
    if (n == 0) break;
    total += static_cast<uint64_t>(n);
    if (total > entry.size)
      return make_error(ErrorCode::kZipInvalid, "reports/lite.json inflates beyond its declared size", zip_path);
    if (auto e = sink(buf.data(), static_cast<size_t>(n))) return e;
  }
  if (total != entry.size)
    return make_error(ErrorCode::kZipInvalid, "reports/lite.json is truncated or corrupt in the zip", zip_path);
  return std::nullopt;
}

// Inflates reports/lite.json into an unlinked temporary file and maps it, so that a large report in a zip costs
// no more memory than a plain one.
StatusOr<std::unique_ptr<MappedFile>> map_lite_json_from_zip(const std::string& zip_path, uint64_t max_bytes) {
  auto entry = open_zip_entry(zip_path, max_bytes);
  if (!entry.ok()) return entry.error();
  const char* tmpdir = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/al-cape-lite-XXXXXX";
  int fd = mkstemp(tmpl.data());
  if (fd < 0)
    return make_error(ErrorCode::kUnreadable, std::string("cannot create a temporary file: ") + std::strerror(errno),
                      tmpl);
  unlink(tmpl.c_str());
  std::unique_ptr<int, void (*)(int*)> fd_guard(&fd, [](int* f) { close(*f); });
  auto err = inflate_entry(*entry.value(), zip_path, [&](const char* data, size_t n) -> std::optional<Error> {
    for (size_t done = 0; done < n;) {
      ssize_t w = write(fd, data + done, n - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0)
        return make_error(ErrorCode::kUnreadable,
                          std::string("cannot write a temporary file: ") + std::strerror(errno), tmpl);
      done += static_cast<size_t>(w);
    }
    return std::nullopt;
  });
  if (err) return *err;
  return MappedFile::from_fd(fd, zip_path + ":reports/lite.json");
}

}  // namespace

StatusOr<Report> parse_report(std::string_view text, const ReadOptions& options, const std::string& context) {
  return read_report_buffer(text.data(), text.size(), options, context);
}

StatusOr<std::string> read_lite_json_from_zip(const std::string& zip_path, uint64_t max_bytes) {
  try {
    auto entry = open_zip_entry(zip_path, max_bytes);
    if (!entry.ok()) return entry.error();
    std::string out;
    out.reserve(static_cast<size_t>(entry.value()->size));
    auto err = inflate_entry(*entry.value(), zip_path, [&](const char* data, size_t n) -> std::optional<Error> {
      out.append(data, n);
      return std::nullopt;
    });
    if (err) return *err;
    return out;
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::kTooLarge, "not enough memory for reports/lite.json", zip_path);
  }
}

StatusOr<Report> read_report_file(const std::string& path, const ReadOptions& options) {
  try {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      return make_error(ErrorCode::kUnreadable, std::string("cannot open file: ") + std::strerror(errno), path);
    if (S_ISDIR(st.st_mode)) return make_error(ErrorCode::kUnreadable, "is a directory, not a report file", path);
    auto mapped = MappedFile::open(path);
    if (!mapped.ok()) return mapped.error();
    MappedFile& file = *mapped.value();
    std::string_view head(file.data() ? file.data() : "", std::min<size_t>(file.size(), 4));
    if (looks_like_zip(head)) {
      auto entry = map_lite_json_from_zip(path, options.max_bytes);
      if (!entry.ok()) return entry.error();
      MappedFile& lite = *entry.value();
      return read_report_buffer(lite.data(), lite.size(), options, path + ":reports/lite.json",
                                [&](size_t done) { lite.drop_before(done); });
    }
    if (file.size() > options.max_bytes) return too_large(file.size(), options.max_bytes, "the report", path);
    std::string_view text(file.data() ? file.data() : "", file.size());
    size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return make_error(ErrorCode::kNotJson, "the file is empty", path);
    if (text[first] != '{' && text[first] != '[')
      return make_error(ErrorCode::kNotJson, "neither a JSON report nor a zip archive", path);
    // Read front to back; pages already read leave the resident set, so a large report costs a window of it.
    return read_report_buffer(file.data(), file.size(), options, path,
                              [&](size_t done) { file.drop_before(done); });
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::kTooLarge, "not enough memory to read the report", path);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal, std::string("internal error while reading the report: ") + e.what(),
                      path);
  }
}

}  // namespace alcape::report
