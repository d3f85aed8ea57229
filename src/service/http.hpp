// A small blocking HTTP client on libcurl for the Assemblyline service server: one call = one request, with a
// per-call timeout, optional TLS CA, streaming download to a file and raw-body upload from a file.
#pragma once

#include "core/status.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace alcape::service {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;                     // sent when non-empty and upload_file is empty
  std::filesystem::path upload_file;    // raw request body read from this file (PUT /file/)
  std::filesystem::path download_to;    // response body streamed to this file instead of memory
  std::chrono::milliseconds timeout{60000};
  std::chrono::milliseconds connect_timeout{10000};
  std::string ca_file;                  // PEM CA for https; empty: the system store
  const std::atomic<bool>* abort = nullptr;  // set -> the transfer ends at once with kCancelled
};

struct HttpResponse {
  long status = 0;
  std::string body;  // empty when download_to was used
};

// kConnect for refused/reset/DNS/TLS, kTimeout for a timed-out call; any HTTP status is a response.
StatusOr<HttpResponse> perform(const HttpRequest& request);

// Once per process, before threads start: loads libcurl (nest/curl_api.hpp), so a host without it fails at
// start-up with a message naming the library instead of on the first task.
Status global_http_init();

}  // namespace alcape::service
