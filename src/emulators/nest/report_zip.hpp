// Builds the zip the report endpoint serves from a recorded Report folder, into a temporary file (never the
// whole zip in memory), with the faults a real nest or a hostile one can produce.
#pragma once

#include "core/status.hpp"
#include "emulators/nest/report_variants.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace alcape::emulators::nest {

struct ZipOptions {
  std::string only_folder;        // non-empty: just this top-level folder (e.g. "files" for format dropped)
  bool only_lite = false;         // just reports/lite.json (format litereport + zip)
  bool include_lite = true;       // false: no reports/lite.json (litereport disabled / failed)
  bool traversal_entry = false;   // add "../"×32 + "tmp/alcape-escape.txt" and an absolute "/tmp/alcape-abs.txt"
  int64_t bomb_mb = 0;            // >0: add "bomb.bin", this many MiB of zeros (huge compression ratio)
  const ReportVariants* variants = nullptr;  // enabled: reports/lite.json is a variant of the recorded one
  std::string variant_salt;                  // the sample folder's name
};

// Writes the zip to a new temporary file and returns its path; the caller deletes it. Members are the Report
// folder's files (relative paths, sorted), reports/lite.json last, deflated, not encrypted.
StatusOr<std::filesystem::path> build_report_zip(const std::filesystem::path& report_dir, const ZipOptions& options);

}  // namespace alcape::emulators::nest
