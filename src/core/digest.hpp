// Hex digests (OpenSSL EVP), shared by everything that names files by hash: the analysis (buffers, ontology
// ids), artifacts, the service's download check and the emulators.
#pragma once

#include "core/status.hpp"

#include <openssl/evp.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace alcape::digest {

// Lower-case hex of `md` (EVP_md5(), EVP_sha1(), EVP_sha256(), ...) over `data`.
std::string hex(const EVP_MD* md, std::string_view data);
inline std::string sha256_hex(std::string_view data) { return hex(EVP_sha256(), data); }

// SHA-256 of a file, read in 64 KiB blocks (never whole in memory). kUnreadable names the file.
StatusOr<std::string> sha256_file(const std::filesystem::path& path);

}  // namespace alcape::digest
