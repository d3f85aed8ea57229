// Whether a host name or address is this machine's loopback (127.0.0.0/8, ::1, "localhost"): the emulators
// refuse to listen anywhere else unless asked to.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>

#include <string>

namespace alcape {

inline bool is_loopback_host(const std::string& host) {
  if (host == "localhost") return true;
  in_addr a4{};
  if (inet_pton(AF_INET, host.c_str(), &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
  in6_addr a6{};
  if (inet_pton(AF_INET6, host.c_str(), &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
  return false;
}

}  // namespace alcape
