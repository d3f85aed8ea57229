// Reading a CAPE lite report: plain `reports/lite.json` or the lite zip of tasks/get/report/<id>/lite/zip/.
//
// Input policy (docs/input-policy.md): the JSON must be UTF-8, at most `max_bytes` long and, in the parts the
// analysis reads, at most `max_depth` containers deep; its top level must be an object. Python's json module, which
// CAPE writes with, also produces NaN/Infinity literals and lone-surrogate escapes; the reference reads those.
// al-cape reads them too, repairing them (NaN/Infinity -> null, lone surrogate -> U+FFFD) and recording a notice;
// invalid UTF-8 bytes are likewise replaced by U+FFFD, integers beyond 64 bits become the nearest double, numbers
// beyond the double range become null, each with a notice (Report::notices, shown in the result). A repeated
// key counts with its last value at its first position (Python dict semantics). Everything else that is not JSON
// is refused with an Error naming the problem and, when known, its byte offset. Keys the analysis does not use are
// skipped by structure only (balanced brackets, closed strings), without checking their grammar or encoding.
#pragma once

#include "core/status.hpp"
#include "report/model.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace alcape::report {

struct ReadOptions {
  uint64_t max_bytes = 1ull << 30;  // 1 GiB: larger reports are refused
  size_t max_depth = 1024;         // containers nested in one another; the top-level object counts 1
  // Filters that keep memory proportional to what the analysis uses; null keeps everything.
  std::function<bool(std::string_view api)> keep_call;
  std::function<bool(int event_id)> keep_sysmon_event;
  std::function<bool(std::string_view lower_name)> keep_sysmon_field;
};

// Parses report JSON text (with the stream reader, like files). `context` names the input in error messages.
// Never throws: every failure, including an internal one, is an Error.
StatusOr<Report> parse_report(std::string_view json_text, const ReadOptions& options, const std::string& context);

// Reads a file that is either a report JSON or a lite zip (detected by content, not by name). The file (or the
// zip entry, inflated into an unlinked temporary file) is memory-mapped and read front to back, element by
// element (stream_reader.hpp), so memory follows what the analysis keeps. Never throws.
StatusOr<Report> read_report_file(const std::string& path, const ReadOptions& options);

// The JSON text of reports/lite.json inside a lite zip file (size limits applied before anything is inflated).
StatusOr<std::string> read_lite_json_from_zip(const std::string& zip_path, uint64_t max_bytes);

}  // namespace alcape::report
