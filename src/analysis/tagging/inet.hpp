// IP address parsers with the exact acceptance rules the reference inherits from C and Python:
// glibc inet_aton (socket.inet_aton: 1 to 4 parts, octal/hex parts, trailing whitespace and junk after it),
// inet_pton(AF_INET6) and Python's ipaddress.ip_address for IPv6 (used by urlsplit for bracketed hosts).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alcape::analysis::inet {

// socket.inet_aton(text): the address as a host-order integer, or nullopt (OSError).
std::optional<uint32_t> inet_aton(std::string_view text);
// Dotted-quad text of an address (IPv4Address.compressed).
std::string ipv4_to_string(uint32_t address);

// socket.inet_pton(AF_INET6, text).
std::optional<std::array<uint8_t, 16>> inet_pton6(std::string_view text);
// ipaddress.IPv6Address(text) accepts text (incl. an optional %scope).
bool python_ipv6_valid(std::string_view text);
// ipaddress.IPv4Address(text) accepts text (strict dotted quad, no leading zeros).
bool python_ipv4_valid(std::string_view text);

}  // namespace alcape::analysis::inet
