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

// Pids of the processes in an ontology after preprocess_ontology (`analysis::AnalysisOutput::ontology`), i.e. the
// non-safelisted ones: the value for ClassifyInput::hollowshunter_pids. Empty set when it has no processes.
std::set<int64_t> ontology_pids(const json::Value& ontology);

// "Screenshots taken during Task <id>" (an image section of Classified::screenshots), and the note the reference
// adds to it when antivm packages were used (config.use_antivm_packages and a code/javascript, code/jscript or
// document/office/word file).
std::string screenshots_section_title(int64_t task_id);
inline constexpr const char* kAntivmScreenshotNote =
    "Multiple applications, such as calc.exe, were opened in the sandbox to fight any anti-VM techniques, if "
    "applicable.";
bool antivm_note_applies(const config::ServiceConfig& config, const std::string& submitted_file_type);

// Top-level "Sandbox Artifacts" (auto-collapse) → "HollowsHunter Injected Portable Executable": body lines
// "HollowsHunter dumped the following:" + "\t- <name>" per Classified::hollowshunter_dumps; each name is also a
// `dynamic.process.file_name` tag; heuristic: the injection heuristic with signature hollowshunter_exe or
// hollowshunter_dll (hollowshunter_signature()).
inline constexpr const char* kSandboxArtifactsTitle = "Sandbox Artifacts";
inline constexpr const char* kHollowsHunterTitle = "HollowsHunter Injected Portable Executable";
std::vector<std::string> hollowshunter_section_lines(const std::vector<std::string>& dump_names);
std::string hollowshunter_signature(const std::string& dump_name);  // "hollowshunter_dll" for .dll, else "_exe"

// Each "/"-separated component: characters outside [A-Za-z0-9._+@()-] become "_", no empty/"."/".."
// components, at most 200 bytes per component (keeping the extension). "1_shots/0001.jpg" stays as is.
std::string sanitise_name(const std::string& name);


}  // namespace alcape::artifacts
