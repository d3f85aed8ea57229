// A file handed to Assemblyline: extracted (analysed again) or supplementary (kept for the analyst).
// The pipeline hands these on as pipeline::Artifact (an alias).
#pragma once

#include <filesystem>
#include <string>

namespace alcape::artifacts {

struct Artifact {
  std::filesystem::path path;  // on disk, under the task's work folder
  std::string name;            // sanitised, stable, unique within one task
  std::string description;
  std::string sha256;          // lower-case hex of the content
  bool supplementary = true;
  bool section_image = false;  // screenshots shown in the "Screenshots taken during Task <id>" image section
};

}  // namespace alcape::artifacts
