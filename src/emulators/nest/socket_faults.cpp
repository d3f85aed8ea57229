#include "emulators/nest/socket_faults.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace alcape::emulators::nest {

namespace {

bool endpoint_of(int fd, bool peer, std::string& addr, int& port) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  int rc = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len)
                : getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  if (rc != 0) return false;
  char buf[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &a->sin_addr, buf, sizeof buf);
    port = ntohs(a->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof buf);
    port = ntohs(a->sin6_port);
  } else {
    return false;
  }
  addr = buf;
  return true;
}

}  // namespace

namespace {

// Calls fn(fd, peer_addr, peer_port) for each accepted socket of local_port (the listening socket has no peer;
// the process' own client sockets have another local port); stops when fn returns true.
template <typename Fn>
void for_each_accepted(int local_port, Fn&& fn) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    const int fd = std::atoi(e.path().filename().c_str());
    std::string addr;
    int port = 0;
    if (!endpoint_of(fd, false, addr, port) || port != local_port) continue;
    if (!endpoint_of(fd, true, addr, port)) continue;
    if (fn(fd, addr, port)) return;
  }
}

}  // namespace

int find_connection_socket(int local_port, const std::string& remote_addr, int remote_port) {
  int found = -1;
  for_each_accepted(local_port, [&](int fd, const std::string& addr, int port) {
    if (port != remote_port || (!remote_addr.empty() && addr != remote_addr)) return false;
    found = fd;
    return true;
  });
  return found;
}

void shutdown_connections(int local_port) {
  for_each_accepted(local_port, [](int fd, const std::string&, int) {
    shutdown(fd, SHUT_RDWR);
    return false;
  });
}

bool reset_connection(int fd) {
  if (fd < 0) return false;
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (devnull < 0) return false;
  const bool ok = dup2(devnull, fd) >= 0;  // closes the socket: RST because of the zero linger
  close(devnull);
  return ok;
}

bool close_connection(int fd) {
  if (fd < 0) return false;
  return shutdown(fd, SHUT_RDWR) == 0;
}

}  // namespace alcape::emulators::nest
