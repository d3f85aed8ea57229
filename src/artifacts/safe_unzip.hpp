// Safe extraction of an untrusted zip (the CAPE lite report zip) to a folder: streamed entry by entry to disk,
// never the whole archive in memory; refuses absolute paths, "..", links/non-regular entries, too many entries,
// too much data, and suspicious compression ratios — with an error naming the entry.
#pragma once

#include "core/status.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace alcape::artifacts {

struct ExtractLimits {
  uint64_t max_entries = 20000;
  uint64_t max_total_bytes = 4ull << 30;    // uncompressed, all entries
  uint64_t max_entry_bytes = 2ull << 30;    // uncompressed, one entry
  uint64_t max_ratio = 200;                 // uncompressed / compressed, for entries over ratio_min_bytes
  uint64_t ratio_min_bytes = 1u << 20;
};

struct ExtractedEntry {
  std::string zip_name;         // the entry name as stored ("reports/lite.json")
  std::filesystem::path path;   // dest / zip_name
  uint64_t size = 0;
};

// Extracts every regular entry of `zip_path` under `dest` (created if missing). Directories are created, not
// listed. On error (kNotZip, kZipInvalid, kTooLarge, kUnreadable) files written so far are left for the caller's
// work-folder cleanup. Sizes are counted while writing (the zip's declared sizes are not trusted).
StatusOr<std::vector<ExtractedEntry>> extract_zip(const std::filesystem::path& zip_path,
                                                  const std::filesystem::path& dest,
                                                  const ExtractLimits& limits = {});

}  // namespace alcape::artifacts
