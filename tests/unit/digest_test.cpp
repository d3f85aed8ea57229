#include "core/digest.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace alcape::digest {
namespace {

TEST(Digest, KnownValues) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(EVP_md5(), ""), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(Digest, FileIsStreamedToTheSameDigest) {
  alcape::testing::TempDir dir("alcape_digest");
  const auto path = dir.path / "file.bin";
  std::string content(200 * 1024 + 7, 'x');  // more than one 64 KiB block
  std::ofstream(path, std::ios::binary) << content;
  auto sha = sha256_file(path);
  ASSERT_TRUE(sha.ok());
  EXPECT_EQ(sha.value(), sha256_hex(content));
}

TEST(Digest, MissingFileIsUnreadable) {
  auto sha = sha256_file("/nonexistent/alcape");
  ASSERT_FALSE(sha.ok());
  EXPECT_EQ(sha.error().code, ErrorCode::kUnreadable);
}

}  // namespace
}  // namespace alcape::digest
