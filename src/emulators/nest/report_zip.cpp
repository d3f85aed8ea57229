#include "emulators/nest/report_zip.hpp"

#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>
#include <vector>

namespace alcape::emulators::nest {
namespace fs = std::filesystem;

namespace {

Error zip_failure(zip_t* za, const std::string& what, const fs::path& dir) {
  std::string msg = what + ": " + zip_strerror(za);
  return make_error(ErrorCode::kInternal, msg, dir.string());
}

}  // namespace

StatusOr<fs::path> build_report_zip(const fs::path& report_dir, const ZipOptions& o) {
  std::error_code ec;
  std::vector<std::string> members;  // relative paths, '/'-separated
  for (auto it = fs::recursive_directory_iterator(report_dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    members.push_back(fs::relative(it->path(), report_dir).generic_string());
  }
  if (ec) return make_error(ErrorCode::kUnreadable, "cannot list report folder: " + ec.message(), report_dir.string());
  std::sort(members.begin(), members.end());
  const std::string lite = "reports/lite.json";

  std::string tmpl = (fs::temp_directory_path() / "alcape-nestemu-XXXXXX.zip").string();
  int fd = mkstemps(tmpl.data(), 4);
  if (fd < 0) return make_error(ErrorCode::kInternal, "cannot create a temporary file", tmpl);
  close(fd);
  const fs::path out = tmpl;

  int err = 0;
  zip_t* za = zip_open(out.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  if (!za) {
    fs::remove(out, ec);
    return make_error(ErrorCode::kInternal, "cannot create zip (libzip error " + std::to_string(err) + ")", out.string());
  }
  auto add_file = [&](const std::string& name) -> bool {
    zip_source_t* src = zip_source_file(za, (report_dir / name).c_str(), 0, -1);
    if (!src) return false;
    if (zip_file_add(za, name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
      zip_source_free(src);
      return false;
    }
    return true;
  };
  auto add_buffer = [&](const std::string& name, const void* data, size_t size) -> bool {
    zip_source_t* src = zip_source_buffer(za, data, size, 0);
    if (!src) return false;
    if (zip_file_add(za, name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
      zip_source_free(src);
      return false;
    }
    return true;
  };
  bool ok = true;
  for (const auto& m : members) {
    if (m == lite) continue;
    if (o.only_lite) continue;
    if (!o.only_folder.empty() && m.rfind(o.only_folder + "/", 0) != 0) continue;
    ok = ok && add_file(m);
  }
  static const char kEscape[] = "written outside the extraction folder\n";
  // Enough "../" to reach / from any extraction folder: an unsafe unzip would write /tmp/alcape-escape.txt, where a
  // test can see it (a shorter climb would land in the client's own work folder, deleted before anyone looks).
  static const std::string kClimbingEntry = [] {
    std::string up;
    for (int i = 0; i < 32; ++i) up += "../";
    return up + "tmp/alcape-escape.txt";
  }();
  if (ok && o.traversal_entry) {
    ok = add_buffer(kClimbingEntry, kEscape, sizeof kEscape - 1) &&
         add_buffer("/tmp/alcape-abs.txt", kEscape, sizeof kEscape - 1);
  }
  std::vector<char> zeros;  // must outlive zip_close, which reads the sources
  if (ok && o.bomb_mb > 0) {
    zeros.assign(static_cast<size_t>(o.bomb_mb) << 20, 0);
    ok = add_buffer("bomb.bin", zeros.data(), zeros.size());
  }
  const bool has_lite = std::find(members.begin(), members.end(), lite) != members.end();
  // A lite.json variant is written to its own temporary file first (never a big string in memory).
  fs::path variant;
  struct RemoveVariant {
    fs::path& p;
    ~RemoveVariant() {
      std::error_code e;
      if (!p.empty()) fs::remove(p, e);
    }
  } remove_variant{variant};
  if (ok && o.include_lite && has_lite && o.only_folder.empty()) {  // written last, as CAPE does
    if (o.variants && o.variants->enabled) {
      std::string vt = (fs::temp_directory_path() / "alcape-nestemu-lite-XXXXXX.json").string();
      const int vfd = mkstemps(vt.data(), 5);
      if (vfd < 0) {
        zip_discard(za);
        fs::remove(out, ec);
        return make_error(ErrorCode::kInternal, "cannot create a temporary file", vt);
      }
      close(vfd);
      variant = vt;
      if (auto st = write_report_variant(report_dir / lite, variant, *o.variants, o.variant_salt); !st.ok()) {
        zip_discard(za);
        fs::remove(out, ec);
        return st.error();
      }
      zip_source_t* src = zip_source_file(za, variant.c_str(), 0, -1);
      ok = src && zip_file_add(za, lite.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) >= 0;
      if (src && !ok) zip_source_free(src);
    } else {
      ok = add_file(lite);
    }
  }
  if (!ok) {
    Error e = zip_failure(za, "cannot add a zip member", report_dir);
    zip_discard(za);
    fs::remove(out, ec);
    return e;
  }
  if (zip_close(za) < 0) {
    Error e = zip_failure(za, "cannot write zip", report_dir);
    zip_discard(za);
    fs::remove(out, ec);
    return e;
  }
  if (!fs::exists(out, ec)) {
    // libzip removes an archive without members; CAPE would still send an empty zip (end-of-central-dir only).
    static const char kEmptyZip[22] = {'P', 'K', 5, 6};
    FILE* f = fopen(out.c_str(), "wb");
    if (!f || fwrite(kEmptyZip, 1, sizeof kEmptyZip, f) != sizeof kEmptyZip) {
      if (f) fclose(f);
      return make_error(ErrorCode::kInternal, "cannot write empty zip", out.string());
    }
    fclose(f);
  }
  return out;
}

}  // namespace alcape::emulators::nest
