// What CAPE does with an uploaded file between the size check and the tasks (cape-api.md §2.4 steps 4 and 6):
// the size rules (max_sample_size, allow_ignore_size + ignore_size_check, enable_trim of PE overlays) and the demux
// of ZIP archives into one file per member (lib/cuckoo/common/demux.py), with limits so that a hostile zip cannot
// hurt the emulator. Pure: bytes in, files and `errors` entries out.
#pragma once

#include "emulators/nest/samples.hpp"
#include "emulators/nest/scenario.hpp"
#include "json/value.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alcape::emulators::nest {

// One file that becomes a task: the upload itself, its trimmed copy, or an archive member.
struct UploadFile {
  std::string name;  // basename, as CAPE's task target shows it
  FileHashes hashes;
  uint64_t size = 0;
  std::string head;  // the first bytes (file type, platform)
};

struct PreparedUpload {
  std::vector<UploadFile> files;                    // empty: no task can be created
  json::Value errors = json::Value::array();        // CAPE's `errors` entries ({name: text} / {"junk_filter": text})
};

// Hard limits of the demux, whatever the scenario says (the emulator's protection, not CAPE's).
struct DemuxLimits {
  uint64_t max_entries = 10000;            // more entries: the archive is submitted whole, with an errors entry
  uint64_t max_member_bytes = 128ull << 20;  // a larger member is skipped with an errors entry
  uint64_t max_total_bytes = 256ull << 20;   // members read in all; the rest are skipped
};

// web.conf [general] max_sample_size check of process_new_task_files (step 4): the "Uploaded file exceeds ..."
// text, or nullopt when the upload may go on (small enough, ignore_size_check allowed, or trimming on).
std::optional<std::string> upload_size_error(const Scenario& sc, uint64_t size, const std::string& options);

// demux.py:_prepare_file for one file: accepted as is, trimmed (PE overlay cut, "trimmed_<name>"), or an error
// text ("File too big ...").
struct PrepareResult {
  std::optional<UploadFile> file;
  std::string error;
};
PrepareResult prepare_file(const Scenario& sc, const std::string& name, std::string_view content,
                           const std::string& options);

// demux.py:demux_sample: a ZIP uploaded without a package and without `file=` in options is unpacked into one
// file per member (junk filtered, at most sc.demux_files_limit); anything else is the upload itself.
PreparedUpload prepare_upload(const Scenario& sc, const std::string& name, std::string_view content,
                              const std::string& package, const std::string& options,
                              const DemuxLimits& limits = {});

// The PE overlay offset (end of the last section's raw data), as trim_utils.trim_pe; nullopt when not a PE.
std::optional<uint64_t> pe_overlay_offset(std::string_view data);

}  // namespace alcape::emulators::nest
