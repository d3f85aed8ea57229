#include "emulators/nest/samples.hpp"

#include "core/digest.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <sstream>

namespace alcape::emulators::nest {
namespace fs = std::filesystem;

namespace {

std::string crc32_hex(std::string_view data) {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  c ^= 0xFFFFFFFFu;
  char buf[9];
  snprintf(buf, sizeof buf, "%08X", c);
  return buf;
}

bool is_sha256(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

}  // namespace

FileHashes hash_bytes(std::string_view data) {
  return FileHashes{digest::hex(EVP_md5(), data), digest::hex(EVP_sha1(), data), digest::hex(EVP_sha256(), data),
                    digest::hex(EVP_sha512(), data), crc32_hex(data)};
}

StatusOr<SampleIndex> SampleIndex::load(const fs::path& dir) {
  SampleIndex idx;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return make_error(ErrorCode::kUnreadable, "samples directory not found", dir.string());
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_directory() || !fs::is_directory(entry.path() / "Report")) continue;
    const std::string name = entry.path().filename().string();
    idx.by_name_[name] = entry.path();
    if (is_sha256(name)) {
      idx.by_sha_[name] = entry.path();
      continue;
    }
    for (const auto& f : fs::directory_iterator(entry.path(), ec)) {
      if (!f.is_regular_file()) continue;
      auto sha256 = digest::sha256_file(f.path());
      if (!sha256.ok()) return sha256.error();  // an unreadable sample must not be indexed as the empty file
      idx.by_sha_[sha256.value()] = entry.path();
      break;
    }
  }
  if (ec) return make_error(ErrorCode::kUnreadable, "cannot list samples directory: " + ec.message(), dir.string());
  return idx;
}

fs::path SampleIndex::find(const std::string& key) const {
  if (auto it = by_sha_.find(key); it != by_sha_.end()) return it->second;
  if (auto it = by_name_.find(key); it != by_name_.end()) return it->second;
  return {};
}

}  // namespace alcape::emulators::nest
