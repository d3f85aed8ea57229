#include "core/base64.hpp"

#include <cstdint>

namespace alcape::base64 {
namespace {

int value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::optional<std::string> decode(std::string_view text, Padding padding) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  size_t data_chars = 0, pads = 0;
  for (char c : text) {
    if (c == '=') {
      if (padding == Padding::kLenient) break;
      ++pads;
      continue;
    }
    const int v = value(c);
    if (v < 0 || pads) return std::nullopt;
    ++data_chars;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (padding == Padding::kStrict) {
    // Incorrect padding: a lone sixth of a byte, or missing "=".
    if (data_chars % 4 == 1) return std::nullopt;
    if (data_chars % 4 && pads < 4 - data_chars % 4) return std::nullopt;
  }
  return out;
}

}  // namespace alcape::base64
