// Writing the files of --out.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace alcape::cli {

// Writes `content` to `path` (replacing it); false when it could not be written completely.
inline bool write_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary);
  f << content;
  f.close();
  return static_cast<bool>(f);
}

}  // namespace alcape::cli
