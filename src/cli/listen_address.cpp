#include "cli/listen_address.hpp"

#include <pthread.h>

#include <charconv>

namespace alcape::cli {

StatusOr<ListenAddress> parse_listen_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return make_error(ErrorCode::kInvalidParams, "--listen must be HOST:PORT, not '" + text + "'");
  ListenAddress a;
  a.host = text.substr(0, colon);
  if (a.host.size() > 2 && a.host.front() == '[' && a.host.back() == ']') a.host = a.host.substr(1, a.host.size() - 2);
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(first, last, a.port);
  if (ec != std::errc() || ptr != last || first == last || a.port < 0 || a.port > 65535)
    return make_error(ErrorCode::kInvalidParams, "invalid port in --listen '" + text + "'");
  return a;
}

sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

void wait_for_stop_signal(const sigset_t& signals) {
  int sig = 0;
  sigwait(&signals, &sig);
}

}  // namespace alcape::cli
