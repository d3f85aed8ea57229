#include "artifacts/safe_unzip.hpp"

#include <zip.h>

#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <set>
#include <vector>

namespace alcape::artifacts {
namespace {

namespace fs = std::filesystem;

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct FileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

Error entry_error(ErrorCode code, const std::string& entry, const std::string& why, const fs::path& zip) {
  return make_error(code, "zip entry '" + entry + "' " + why, "report zip " + zip.string());
}

// Relative, forward-slash, no "..", no empty or "." components, no drive letters, no backslashes or NULs.
bool safe_name(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string::npos ||
      name.find('\0') != std::string::npos) {
    return false;
  }
  if (name.size() >= 2 && name[1] == ':') return false;
  size_t start = 0;
  std::string body = name.back() == '/' ? name.substr(0, name.size() - 1) : name;
  if (body.empty()) return false;
  while (start <= body.size()) {
    size_t end = body.find('/', start);
    if (end == std::string::npos) end = body.size();
    std::string part = body.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = end + 1;
  }
  return true;
}

// Unix mode bits of the entry when the zip was made on Unix (symlinks, devices, fifos are refused).
bool regular_or_directory(zip_t* z, zip_uint64_t index) {
  zip_uint8_t opsys = 0;
  zip_uint32_t attributes = 0;
  if (zip_file_get_external_attributes(z, index, 0, &opsys, &attributes) != 0) return true;
  if (opsys != ZIP_OPSYS_UNIX) return true;
  const mode_t mode = static_cast<mode_t>(attributes >> 16);
  if (mode == 0) return true;  // no Unix mode recorded
  return S_ISREG(mode) || S_ISDIR(mode);
}

}  // namespace

StatusOr<std::vector<ExtractedEntry>> extract_zip(const fs::path& zip_path, const fs::path& dest,
                                                  const ExtractLimits& limits) {
  int err = 0;
  std::unique_ptr<zip_t, ZipCloser> z(zip_open(zip_path.c_str(), ZIP_RDONLY, &err));
  if (!z) {
    if (err == ZIP_ER_NOENT || err == ZIP_ER_OPEN || err == ZIP_ER_READ) {
      return make_error(ErrorCode::kUnreadable, "cannot open the file", zip_path.string());
    }
    if (err == ZIP_ER_NOZIP) return make_error(ErrorCode::kNotZip, "not a zip file", zip_path.string());
    zip_error_t ze;
    zip_error_init_with_code(&ze, err);
    std::string why = zip_error_strerror(&ze);
    zip_error_fini(&ze);
    return make_error(ErrorCode::kZipInvalid, "corrupt zip: " + why, zip_path.string());
  }
  const zip_int64_t count = zip_get_num_entries(z.get(), 0);
  if (count < 0) return make_error(ErrorCode::kZipInvalid, "cannot list the zip entries", zip_path.string());
  if (static_cast<uint64_t>(count) > limits.max_entries) {
    return make_error(ErrorCode::kTooLarge,
                      "the zip has " + std::to_string(count) + " entries, more than the limit of " +
                          std::to_string(limits.max_entries),
                      "report zip " + zip_path.string());
  }
  std::error_code ec;
  fs::create_directories(dest, ec);
  if (ec) return make_error(ErrorCode::kUnreadable, "cannot create the folder: " + ec.message(), dest.string());

  std::vector<ExtractedEntry> out;
  std::set<std::string> seen;
  uint64_t total = 0;
  std::vector<char> buffer(64 * 1024);
  for (zip_int64_t i = 0; i < count; ++i) {
    const auto index = static_cast<zip_uint64_t>(i);
    const char* raw_name = zip_get_name(z.get(), index, ZIP_FL_ENC_RAW);
    if (!raw_name) return make_error(ErrorCode::kZipInvalid, "entry " + std::to_string(i) + " has no name",
                                     "report zip " + zip_path.string());
    const std::string name = raw_name;
    if (!safe_name(name)) {
      return entry_error(ErrorCode::kZipInvalid, name, "has an unsafe path (absolute, '..', or backslashes)",
                         zip_path);
    }
    if (!regular_or_directory(z.get(), index)) {
      return entry_error(ErrorCode::kZipInvalid, name, "is a link or special file", zip_path);
    }
    const fs::path target = dest / fs::path(name).relative_path();
    if (name.back() == '/') {
      fs::create_directories(target, ec);
      if (ec) return entry_error(ErrorCode::kUnreadable, name, "cannot be created: " + ec.message(), zip_path);
      continue;
    }
    if (!seen.insert(name).second) return entry_error(ErrorCode::kZipInvalid, name, "occurs twice", zip_path);

    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z.get(), index, 0, &st) != 0) {
      return entry_error(ErrorCode::kZipInvalid, name, "cannot be read", zip_path);
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
      return entry_error(ErrorCode::kZipInvalid, name, "is encrypted", zip_path);
    }
    const uint64_t compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;

    fs::create_directories(target.parent_path(), ec);
    if (ec) return entry_error(ErrorCode::kUnreadable, name, "cannot be created: " + ec.message(), zip_path);
    // A path that is already there (a folder of the same name, or a link planted in between) is refused.
    if (fs::symlink_status(target, ec).type() != fs::file_type::not_found) {
      return entry_error(ErrorCode::kZipInvalid, name, "collides with another entry", zip_path);
    }
    std::unique_ptr<zip_file_t, FileCloser> in(zip_fopen_index(z.get(), index, 0));
    if (!in) return entry_error(ErrorCode::kZipInvalid, name, "cannot be opened (unsupported compression?)", zip_path);
    std::ofstream file(target, std::ios::binary | std::ios::trunc);
    if (!file) return entry_error(ErrorCode::kUnreadable, name, "cannot be written to " + target.string(), zip_path);
    uint64_t size = 0;
    for (;;) {
      const zip_int64_t n = zip_fread(in.get(), buffer.data(), buffer.size());
      if (n < 0) {
        return entry_error(ErrorCode::kZipInvalid, name,
                           std::string("is corrupt: ") + zip_error_strerror(zip_file_get_error(in.get())), zip_path);
      }
      if (n == 0) break;
      size += static_cast<uint64_t>(n);
      total += static_cast<uint64_t>(n);
      // Counted while writing: a zip's declared sizes are not trusted.
      if (size > limits.max_entry_bytes) {
        return entry_error(ErrorCode::kTooLarge, name,
                           "is larger than the limit of " + std::to_string(limits.max_entry_bytes) + " bytes",
                           zip_path);
      }
      if (total > limits.max_total_bytes) {
        return entry_error(ErrorCode::kTooLarge, name,
                           "takes the extracted total over the limit of " + std::to_string(limits.max_total_bytes) +
                               " bytes",
                           zip_path);
      }
      if (size > limits.ratio_min_bytes && size / std::max<uint64_t>(compressed, 1) > limits.max_ratio) {
        return entry_error(ErrorCode::kTooLarge, name,
                           "expands more than " + std::to_string(limits.max_ratio) +
                               " times its compressed size (a zip bomb?)",
                           zip_path);
      }
      file.write(buffer.data(), n);
      if (!file) return entry_error(ErrorCode::kUnreadable, name, "cannot be written to " + target.string(), zip_path);
    }
    out.push_back({name, target, size});
  }
  return out;
}

}  // namespace alcape::artifacts
