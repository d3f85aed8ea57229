// What the emulator commands (`al-cape nest`, `al-cape al-emulator`) share: the --listen HOST:PORT option and
// waiting for SIGTERM/SIGINT to stop.
#pragma once

#include "core/status.hpp"

#include <csignal>
#include <string>

namespace alcape::cli {

struct ListenAddress {
  std::string host;  // without the brackets of "[::1]:8080"
  int port = 0;      // 0: any free port
};

// "127.0.0.1:8090", "[::1]:0". Errors (kInvalidParams) quote the text.
StatusOr<ListenAddress> parse_listen_address(const std::string& text);

// Blocks SIGTERM and SIGINT in the calling thread before any server thread starts (threads inherit the mask),
// so that wait_for_stop_signal takes them synchronously.
sigset_t block_stop_signals();
void wait_for_stop_signal(const sigset_t& signals);

}  // namespace alcape::cli
