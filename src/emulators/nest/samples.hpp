// The recorded reports the emulator serves: an index of sample folders (<dir>/<sha256>/Report/) and the
// file hashes CAPE shows for a sample.
#pragma once

#include "core/status.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace alcape::emulators::nest {

struct FileHashes {
  std::string md5, sha1, sha256, sha512, crc32;  // lower-case hex; crc32 upper-case like CAPE
};

FileHashes hash_bytes(std::string_view data);

// sha256 -> the sample folder. A folder named by a 64-hex SHA-256 is indexed under that name; any other folder
// with a Report/ inside under the SHA-256 of its first regular file (and by its name, for fallback_sample).
class SampleIndex {
 public:
  static StatusOr<SampleIndex> load(const std::filesystem::path& dir);
  // The folder for a SHA-256 (lower case) or a folder name; empty path when unknown.
  std::filesystem::path find(const std::string& key) const;

 private:
  std::map<std::string, std::filesystem::path> by_sha_;
  std::map<std::string, std::filesystem::path> by_name_;
};

}  // namespace alcape::emulators::nest
