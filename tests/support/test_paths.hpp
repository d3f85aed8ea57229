// Paths of the bundled test data (tests/data, see tests/data/NOTICE.md).
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace alcape::testing {

inline std::filesystem::path data_dir() { return std::filesystem::path(ALCAPE_TEST_DATA); }
inline std::filesystem::path harness_params() { return data_dir() / "samples" / "harness-params.yaml"; }

// Every case folder with an expected Results/ folder: the real samples, then the synthetic cases.
inline std::vector<std::filesystem::path> conformance_cases() {
  std::vector<std::filesystem::path> out;
  for (const char* group : {"samples", "samples-synthetic"}) {
    std::vector<std::filesystem::path> found;
    for (const auto& e : std::filesystem::directory_iterator(data_dir() / group))
      if (e.is_directory() && std::filesystem::exists(e.path() / "Results" / "result.json")) found.push_back(e.path());
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace alcape::testing
