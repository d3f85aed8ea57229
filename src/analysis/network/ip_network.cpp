#include "analysis/network/ip_network.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <string>

namespace alcape::analysis::network {

std::optional<std::array<uint8_t, 16>> parse_ip(std::string_view text, bool* is_v6) {
  std::string s(text);  // inet_pton needs a terminated string
  std::array<uint8_t, 16> out{};
  if (s.find(':') == std::string::npos) {
    in_addr a4{};
    if (inet_pton(AF_INET, s.c_str(), &a4) != 1) return std::nullopt;
    std::memcpy(out.data(), &a4, 4);
    *is_v6 = false;
    return out;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, s.c_str(), &a6) != 1) return std::nullopt;
  std::memcpy(out.data(), &a6, 16);
  *is_v6 = true;
  return out;
}

namespace {

// True when the first `prefix` bits of a and b are equal.
bool same_prefix(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, int prefix) {
  int full = prefix / 8, rest = prefix % 8;
  if (std::memcmp(a.data(), b.data(), full) != 0) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

}  // namespace

std::optional<IpNetwork> IpNetwork::parse(std::string_view cidr) {
  auto slash = cidr.find('/');
  std::string_view addr = cidr.substr(0, slash);
  IpNetwork n;
  auto bytes = parse_ip(addr, &n.v6_);
  if (!bytes) return std::nullopt;
  n.addr_ = *bytes;
  int max_prefix = n.v6_ ? 128 : 32;
  n.prefix_ = max_prefix;
  if (slash != std::string_view::npos) {
    std::string_view p = cidr.substr(slash + 1);
    if (p.empty() || p.size() > 3) return std::nullopt;
    int v = 0;
    for (char c : p) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    if (v > max_prefix) return std::nullopt;
    n.prefix_ = v;
  }
  // Strict: no host bits may be set.
  std::array<uint8_t, 16> zero_host = n.addr_;
  for (int bit = n.prefix_; bit < max_prefix; ++bit) zero_host[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  if (zero_host != n.addr_) return std::nullopt;
  return n;
}

bool IpNetwork::contains(std::string_view ip) const {
  bool v6 = false;
  auto bytes = parse_ip(ip, &v6);
  if (!bytes || v6 != v6_) return false;
  return same_prefix(*bytes, addr_, prefix_);
}

}  // namespace alcape::analysis::network
