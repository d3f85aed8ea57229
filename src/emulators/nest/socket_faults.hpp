// Connection-level faults the HTTP library has no API for: finding the server-side socket of a request and
// resetting (RST) or closing (FIN) it, as a recycled uWSGI worker or a dead web server does.
#pragma once

#include <string>

namespace alcape::emulators::nest {

// The accepted socket whose local port is `local_port` and peer is remote_addr:remote_port, or -1.
int find_connection_socket(int local_port, const std::string& remote_addr, int remote_port);

// Abort with RST (client sees ConnectionResetError): SO_LINGER 0, then the socket is closed by replacing its
// descriptor with /dev/null (dup2), so the library's later writes and close hit /dev/null, not a reused fd.
bool reset_connection(int fd);

// Close gracefully without an answer (client sees "remote end closed connection without response").
bool close_connection(int fd);

}  // namespace alcape::emulators::nest
