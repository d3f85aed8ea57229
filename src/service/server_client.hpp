// The Assemblyline service-server API (assemblyline-contract.md §1.3) as the stock task handler speaks it:
// the five endpoints plus the tag safelist, the headers of every call, the response envelope, and
// reconnection with backoff while the server is away.
#pragma once

#include "core/status.hpp"
#include "json/value.hpp"
#include "net/http_client.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace alcape::service {

using net::Headers;
using net::HttpRequest;
using net::HttpResponse;

struct ServerSettings {
  std::string base_url = "http://al_service_server:5003";  // SERVICE_API_HOST
  std::string api_key;                                    // SERVICE_API_KEY: sent, never logged
  std::string container_id = "dev-service";               // HOSTNAME
  std::string service_name = "CAPE";
  std::string service_version;                            // "stable" already stripped
  std::string tool_version;                               // Service-Tool-Version, sent even when empty
  std::string ca_file;                                    // for https: the AL root CA
  int long_poll_seconds = 30;                             // Timeout header of GET /task/
  std::chrono::milliseconds request_timeout{180000};
  std::chrono::milliseconds file_timeout{180000};
  std::chrono::milliseconds backoff_base{500};            // reconnect: base * 2^n, capped
  std::chrono::milliseconds backoff_max{8000};
  int download_attempts = 5;
};

// "4.7.0.stable5" -> "4.7.0.5" (what the Rust server registers and compares).
std::string strip_stable(std::string version);

struct RegisterAnswer {
  bool keep_alive = true;
  json::Value service_config = json::Value::object();
  std::vector<std::string> new_heuristics;
};

struct PostAnswer {
  bool success = false;
  std::vector<std::string> missing_files;
};

class ServerClient {
 public:
  // `stop` (may be null) ends the reconnect loops early with kCancelled.
  ServerClient(ServerSettings settings, const std::atomic<bool>* stop = nullptr);

  const ServerSettings& settings() const { return settings_; }
  void set_tool_version(std::string v) { settings_.tool_version = std::move(v); }

  // PUT /api/v1/service/register/ with the manifest. 401 -> kAuth (version not registered).
  StatusOr<RegisterAnswer> register_service(const json::Value& manifest);
  // GET /api/v1/task/: the task, or null when none came within the long poll. 404 (service unknown) -> error.
  StatusOr<json::Value> get_task();
  // GET /api/v1/file/<sha256>/ to `dest`, SHA-256 verified; 404 -> kInvalidInput; mismatch retried.
  Status download_file(const std::string& sha256, const std::filesystem::path& dest);
  // POST /api/v1/task/ with a prepared body (the task echo + result/error + freshen).
  StatusOr<PostAnswer> post_task(const std::string& body);
  // PUT /api/v1/file/ (raw body) with Sha256, Classification, Ttl, Is-Section-Image, Is-Supplementary.
  Status upload_file(const std::filesystem::path& path, const std::string& sha256, const std::string& classification,
                     int ttl_days, bool section_image, bool supplementary);
  // GET /api/v1/safelist/ -> {"match": {...}, "regex": {...}}; no reconnect loop (the caller tolerates failure).
  StatusOr<json::Value> get_safelist();

  // Until `until` (or forever when nullopt): the request, repeated after a backoff on connection errors.
  StatusOr<HttpResponse> call(HttpRequest req, std::optional<std::chrono::steady_clock::time_point> until,
                              bool reconnect = true);

 private:
  std::string url(const std::string& path) const;
  Headers common_headers() const;
  bool stopping() const { return stop_ && stop_->load(); }

  ServerSettings settings_;
  const std::atomic<bool>* stop_;
};

// The envelope's api_response, or an Error naming the status and api_error_message.
StatusOr<json::Value> unwrap_envelope(const HttpResponse& r, const std::string& what);


}  // namespace alcape::service
