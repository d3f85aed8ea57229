#include "emulators/nest/upload.hpp"

#include "core/ascii.hpp"

#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <memory>

namespace alcape::emulators::nest {

namespace {


std::string basename_of(const std::string& path) {
  const auto slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Python's f"{n / float(1 << 20):,.0f}".
std::string python_mib(uint64_t bytes) {
  const auto mib = static_cast<uint64_t>(std::nearbyint(static_cast<double>(bytes) / static_cast<double>(1 << 20)));
  std::string digits = std::to_string(mib), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// utils.get_options: "k=v,k=v" -> the value of `key` ("" when absent).
std::string option_value(const std::string& options, const std::string& key) {
  size_t start = 0;
  while (start <= options.size()) {
    size_t comma = options.find(',', start);
    if (comma == std::string::npos) comma = options.size();
    const std::string item = options.substr(start, comma - start);
    const auto eq = item.find('=');
    if (eq != std::string::npos && item.substr(0, eq) == key) return item.substr(eq + 1);
    start = comma + 1;
  }
  return "";
}

bool ignore_size_allowed(const Scenario& sc, const std::string& options) {
  return sc.allow_ignore_size && options.find("ignore_size_check") != std::string::npos;
}

UploadFile describe(const std::string& name, std::string_view content) {
  return UploadFile{name, hash_bytes(content), content.size(), std::string(content.substr(0, 64))};
}

uint32_t le32(std::string_view d, size_t off) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(d[off + i]);
  return v;
}
uint16_t le16(std::string_view d, size_t off) {
  return static_cast<uint16_t>(static_cast<unsigned char>(d[off]) | (static_cast<unsigned char>(d[off + 1]) << 8));
}

// demux.py JUNK_EXTENSIONS / JUNK_NAMES / .git(hub) folders (HEAD), applied to the member's path; plus empty
// members, which sflock cannot make a file of.
bool is_junk(const std::string& path, uint64_t size) {
  if (size == 0) return true;
  const std::string l = ascii_lower(path);
  static const char* const kExt[] = {".yar", ".yara", ".md", ".txt", ".yml", ".yaml",
                                     ".gitignore", ".gitattributes", ".gitmodules"};
  for (const char* e : kExt) {
    const size_t n = std::strlen(e);
    if (l.size() >= n && l.compare(l.size() - n, n, e) == 0) return true;
  }
  for (const char* n : {"license", "copying", "makefile", "authors", "readme"})
    if (l.find(n) != std::string::npos) return true;
  return l.find(".github/") != std::string::npos || l.find(".git/") != std::string::npos;
}

json::Value entry(const std::string& key, const std::string& text) {
  json::Value e = json::Value::object();
  e[key] = text;
  return e;
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};

// Unpacks a ZIP into `out`; false when `content` is not a ZIP libzip can open (then it is not demuxed).
bool demux_zip(const Scenario& sc, const std::string& archive_name, std::string_view content, const std::string& options,
               const DemuxLimits& limits, PreparedUpload& out) {
  if (content.substr(0, 4) != std::string_view("PK\x03\x04", 4)) return false;
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(content.data(), content.size(), 0, &err);
  if (!src) return false;
  std::unique_ptr<zip_t, ZipCloser> za(zip_open_from_source(src, ZIP_RDONLY, &err));
  zip_error_fini(&err);
  if (!za) {
    zip_source_free(src);
    return false;
  }
  const zip_int64_t n = zip_get_num_entries(za.get(), 0);
  if (n < 0) return false;
  // ZIP containers CAPE does not unpack: OOXML documents (office types), Java archives, APKs (blacklisted).
  for (const char* marker : {"[Content_Types].xml", "META-INF/MANIFEST.MF", "AndroidManifest.xml"})
    if (zip_name_locate(za.get(), marker, 0) >= 0) return false;
  if (static_cast<uint64_t>(n) > limits.max_entries) {
    out.errors.push_back(entry(archive_name, "Archive has " + std::to_string(n) + " entries (emulator limit " +
                                                 std::to_string(limits.max_entries) + "); not unpacked"));
    return false;
  }
  // sflock tries the password from the options, else "infected".
  std::string password = option_value(options, "password");
  if (password.empty()) password = "infected";
  const int64_t limit = std::max<int64_t>(sc.demux_files_limit, 0);
  uint64_t total = 0;
  std::string buf;
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) continue;
    const std::string path = st.name;
    if (!path.empty() && path.back() == '/') continue;  // a directory: nothing to analyse
    const std::string name = basename_of(path);
    if (name.empty()) continue;
    const uint64_t declared = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    if (is_junk(path, declared)) {
      out.errors.push_back(entry("junk_filter", "File " + name + " skipped by junk filter"));
      continue;
    }
    if (static_cast<int64_t>(out.files.size()) >= limit) {
      out.errors.push_back(entry(name, "Demux files limit (" + std::to_string(limit) + ") reached; file not submitted"));
      continue;
    }
    // Too big for CAPE: refused from the declared size without reading it.
    if (static_cast<int64_t>(declared) > sc.max_sample_size && !ignore_size_allowed(sc, options) && !sc.enable_trim) {
      out.errors.push_back(entry(name, prepare_file(sc, name, std::string_view(), options).error));
      continue;
    }
    if (declared > limits.max_member_bytes || total + declared > limits.max_total_bytes) {
      out.errors.push_back(entry(name, "File too big for the emulator's demux limits; skipped"));
      continue;
    }
    const bool encrypted = (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE;
    zip_file_t* zf = encrypted ? zip_fopen_index_encrypted(za.get(), static_cast<zip_uint64_t>(i), 0, password.c_str())
                               : zip_fopen_index(za.get(), static_cast<zip_uint64_t>(i), 0);
    // Read at most the declared size (+1 to notice a lie); libzip checks the CRC at the end.
    buf.assign(static_cast<size_t>(declared) + 1, '\0');
    zip_int64_t got = -1;
    if (zf) {
      uint64_t have = 0;
      while (have < buf.size()) {
        const zip_int64_t r = zip_fread(zf, buf.data() + have, buf.size() - have);
        if (r <= 0) {
          got = r < 0 ? -1 : static_cast<zip_int64_t>(have);
          break;
        }
        have += static_cast<uint64_t>(r);
        got = static_cast<zip_int64_t>(have);
      }
      zip_fclose(zf);
    }
    if (got < 0 || static_cast<uint64_t>(got) != declared) {
      out.errors.push_back(entry(name, encrypted ? "Encrypted file could not be decrypted (wrong or missing password); skipped"
                                                 : "File could not be extracted from the archive; skipped"));
      continue;
    }
    total += declared;
    buf.resize(static_cast<size_t>(declared));
    PrepareResult p = prepare_file(sc, name, buf, options);
    if (p.file) out.files.push_back(std::move(*p.file));
    else out.errors.push_back(entry(name, p.error));
  }
  std::string().swap(buf);
  return true;
}

}  // namespace

std::optional<uint64_t> pe_overlay_offset(std::string_view d) {
  if (d.size() < 0x40 || d.substr(0, 2) != "MZ") return std::nullopt;
  const uint64_t pe = le32(d, 0x3C);
  if (pe + 24 > d.size() || d.substr(pe, 4) != std::string_view("PE\0\0", 4)) return std::nullopt;
  const uint16_t sections = le16(d, pe + 6), optional_size = le16(d, pe + 20);
  if (sections == 0) return std::nullopt;
  const uint64_t last = pe + 24 + optional_size + 40ull * (sections - 1);
  if (last + 40 > d.size()) return std::nullopt;
  return static_cast<uint64_t>(le32(d, last + 20)) + le32(d, last + 16);  // PointerToRawData + SizeOfRawData
}

std::optional<std::string> upload_size_error(const Scenario& sc, uint64_t size, const std::string& options) {
  if (static_cast<int64_t>(size) <= sc.max_sample_size || ignore_size_allowed(sc, options) || sc.enable_trim)
    return std::nullopt;
  return "Uploaded file exceeds the maximum allowed size in conf/web.conf. Sample size is: " + python_mib(size) +
         " Allowed size is: " + python_mib(static_cast<uint64_t>(std::max<int64_t>(sc.max_sample_size, 0)));
}

PrepareResult prepare_file(const Scenario& sc, const std::string& name, std::string_view content,
                           const std::string& options) {
  if (static_cast<int64_t>(content.size()) <= sc.max_sample_size && !content.empty()) return {describe(name, content), ""};
  if (!content.empty() && ignore_size_allowed(sc, options)) return {describe(name, content), ""};
  if (sc.enable_trim) {
    // trim_utils.trim_file: only when the trimmed size is below the limit. OLE documents are not trimmed here.
    if (auto end = pe_overlay_offset(content); end && *end > 0 && static_cast<int64_t>(*end) < sc.max_sample_size)
      return {describe("trimmed_" + name, content.substr(0, std::min<uint64_t>(*end, content.size()))), ""};
  }
  const std::string advice = ", enable 'allow_ignore_size' in web.conf or use 'ignore_size_check' option";
  return {std::nullopt, sc.profile == Profile::k2025 ? "File too big" + advice : "File too big (" + name + ")" + advice};
}

PreparedUpload prepare_upload(const Scenario& sc, const std::string& name, std::string_view content,
                              const std::string& package, const std::string& options, const DemuxLimits& limits) {
  PreparedUpload out;
  // HEAD's demux_sample refuses a junk upload itself (README.txt, license.exe, ...) before anything else.
  if (sc.profile == Profile::k2026 && is_junk(name, content.size())) {
    out.errors.push_back(entry("junk_filter", "File " + name + " skipped by junk filter"));
    return out;
  }
  // `file=` in options makes CAPE set package zip (tasking.py): the archive is one task, as with any package.
  const bool demux = sc.demux && package.empty() && options.find("file=") == std::string::npos;
  if (demux && demux_zip(sc, name, content, options, limits, out) && !out.files.empty()) return out;
  // Not an archive, or nothing worth a task inside: the upload itself (demux.py's fallback).
  out.files.clear();
  PrepareResult p = prepare_file(sc, name, content, options);
  if (p.file) out.files.push_back(std::move(*p.file));
  else out.errors.push_back(entry(name, p.error));
  return out;
}

}  // namespace alcape::emulators::nest
