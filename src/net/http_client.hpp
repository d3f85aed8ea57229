// The one HTTP client of al-cape, on libcurl (net/curl_api.hpp), for the CAPE nests and the Assemblyline service
// server: one easy handle per call (thread-safe, no pooled connection is reused after an error), http and https,
// per-call connect/total timeouts, bodies from memory, from a file or as multipart/form-data streamed from a
// file, answers in memory (bounded) or streamed to a file. Transport failures come back as Errors; HTTP statuses
// are returned as they are: deciding what a status means is the caller's job.
#pragma once

#include "core/status.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace alcape::net {

using Headers = std::vector<std::pair<std::string, std::string>>;  // name, value ("" sends an empty header)

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  // The body, at most one kind: multipart/form-data (text fields, then one file part read while sending), the
  // raw content of a file, or `body`.
  std::vector<std::pair<std::string, std::string>> form_fields;
  std::string file_field;  // e.g. "file"; empty: no file part
  std::filesystem::path file_path;
  std::string file_name;   // the part's filename (drives CAPE's package choice)
  std::filesystem::path upload_file;  // raw body read from this file (AL's PUT /file/)
  std::string body;                   // raw body (JSON), for methods other than GET
  // Non-empty: the answer goes to this file (never held in memory); HttpResponse::body keeps its first bytes.
  std::filesystem::path download_to;
  std::chrono::milliseconds connect_timeout{30000};
  std::chrono::milliseconds total_timeout{120000};
  bool verify_tls = true;
  std::string ca_bundle;                       // PEM file; empty: the system store
  uint64_t max_memory_body = 64ull << 20;      // in-memory answers larger than this fail with kTooLarge
  const std::atomic<bool>* abort = nullptr;    // set -> the transfer ends at once with kCancelled
};

struct HttpResponse {
  long status = 0;
  std::string content_type;
  std::string location;                  // of a redirect
  std::optional<long> retry_after_s;     // Retry-After in seconds, when sent
  std::string body;                      // whole body, or its first 64 KiB when streamed to a file
  uint64_t body_bytes = 0;               // size of the whole body
};

// Performs one request. Errors: kConnect (refused, reset, TLS), kTimeout, kTooLarge, kCancelled (abort),
// kInvalidParams (malformed URL), kUnreadable (a file to send or to write), kMissingLibrary (no libcurl),
// kInternal (curl setup). `context` is put in the Error (host, task id). `request_may_have_been_sent` tells
// whether a failed request can have reached the server (a POST must not be repeated if it can have created a task).
StatusOr<HttpResponse> perform(const HttpRequest& request, const std::string& context,
                               bool* request_may_have_been_sent = nullptr);

}  // namespace alcape::net
