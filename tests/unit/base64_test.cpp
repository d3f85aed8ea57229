#include "core/base64.hpp"

#include <gtest/gtest.h>

namespace alcape::base64 {
namespace {

TEST(Base64, StrictFollowsPythonsA2bBase64) {
  EXPECT_EQ(decode("aGVsbG8=", Padding::kStrict), "hello");
  EXPECT_EQ(decode("aGVsbG8h", Padding::kStrict), "hello!");
  EXPECT_EQ(decode("", Padding::kStrict), "");
  EXPECT_FALSE(decode("aGVsbG8", Padding::kStrict));     // missing "="
  EXPECT_FALSE(decode("aGVsb", Padding::kStrict));       // a lone sixth of a byte
  EXPECT_FALSE(decode("aGVs=bG8", Padding::kStrict));    // data after padding
  EXPECT_FALSE(decode("aGV$bG8=", Padding::kStrict));    // outside the alphabet
}

TEST(Base64, LenientStopsAtPaddingAndAcceptsItMissing) {
  EXPECT_EQ(decode("aGVsbG8", Padding::kLenient), "hello");
  EXPECT_EQ(decode("aGVsbG8=", Padding::kLenient), "hello");
  EXPECT_EQ(decode("aGVsbG8=junk", Padding::kLenient), "hello");
  EXPECT_FALSE(decode("aGV sbG8", Padding::kLenient));  // a space is not base64
}

}  // namespace
}  // namespace alcape::base64
