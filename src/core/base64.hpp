// Base64 decoding (standard alphabet, no line breaks), with the two strictness levels the reference's inputs need.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace alcape::base64 {

enum class Padding {
  kStrict,  // Python's binascii.a2b_base64: nothing after "=", and the "=" padding must be complete
  kLenient  // decode up to the first "=" (RFC 2047 encoded words, where padding is often missing)
};

// nullopt on a character outside the alphabet, or (kStrict) on incorrect padding.
std::optional<std::string> decode(std::string_view text, Padding padding);

}  // namespace alcape::base64
