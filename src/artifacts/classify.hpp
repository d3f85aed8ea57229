// Which files of an extracted lite report become extracted vs supplementary artifacts (reference-behaviour.md §7),
// with sanitised stable names. Every file of the extraction folder is accounted for: an artifact, or a reason in
// `skipped` (nothing lost silently).
#pragma once

#include "artifacts/artifact.hpp"
#include "config/service_config.hpp"
#include "core/status.hpp"
#include "json/value.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace alcape::artifacts {

struct ClassifyInput {
  int64_t task_id = 0;
  std::filesystem::path report_zip;     // the downloaded zip (supplementary "<id>_cape_report.zip"); may be empty
  std::filesystem::path extracted_dir;  // where extract_zip put its entries
  std::filesystem::path work_dir;       // where new files (commands.ps1/.bat, evtx members) are written
  bool deep_scan = false;
  std::string submitted_file_type;      // AL type of the submitted file (code/html rule for dropped files)
  // From analysis::AnalysisOutput:
  json::Value cape_artifact_pids = json::Value::array();           // [{"sha256","pid","is_yara_hit"}]
  std::vector<std::pair<int64_t, std::string>> main_process_tuples;  // (pid, image name)
  std::vector<std::string> powershell_commands, batch_commands;
  // Pids whose HollowsHunter dumps are kept (processes of the tree that are not safelisted); nullopt = all.
  std::optional<std::set<int64_t>> hollowshunter_pids;
  // AL type of a dropped file ("unknown" → skipped, "text/plain" → supplementary); empty function = all kept.
  std::function<std::string(const std::filesystem::path&)> identify;
};

struct Classified {
  std::vector<Artifact> extracted;
  std::vector<Artifact> supplementary;
  std::vector<Artifact> screenshots;               // section_image, sorted, deduplicated by sha256
  std::vector<std::string> hollowshunter_dumps;    // names for the "HollowsHunter Injected Portable Executable" section
  std::vector<std::pair<std::string, std::string>> skipped;  // (zip path, reason)
};

// Errors only for I/O failures (kUnreadable naming the file).
StatusOr<Classified> classify_artifacts(const ClassifyInput& input, const config::ServiceConfig& config);

// Each "/"-separated component: characters outside [A-Za-z0-9._+@()-] become "_", no empty/"."/".."
// components, at most 200 bytes per component (keeping the extension). "1_shots/0001.jpg" stays as is.
std::string sanitise_name(const std::string& name);

// Lower-case hex SHA-256 of a file's content (streamed).
StatusOr<std::string> sha256_file(const std::filesystem::path& path);

}  // namespace alcape::artifacts
