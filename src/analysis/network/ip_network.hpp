// An IPv4 or IPv6 network in CIDR notation (the reference's ipaddress.ip_network / `ip in network`), used for
// the INetSim random DNS range.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace alcape::analysis::network {

class IpNetwork {
 public:
  // "a.b.c.d/n" or "x:y::/n" (a bare address is a /32 or /128). nullopt when it does not parse or has host bits
  // set (ip_network's strict mode raises on both).
  static std::optional<IpNetwork> parse(std::string_view cidr);

  // `ip_address(ip) in network`: false for text that is not an address and across IP versions.
  bool contains(std::string_view ip) const;

 private:
  bool v6_ = false;
  std::array<uint8_t, 16> addr_{};
  int prefix_ = 0;
};

// inet_pton for either family: the 4 or 16 address bytes.
std::optional<std::array<uint8_t, 16>> parse_ip(std::string_view text, bool* is_v6);

}  // namespace alcape::analysis::network
