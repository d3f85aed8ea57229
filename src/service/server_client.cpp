#include "service/server_client.hpp"

#include "core/digest.hpp"

#include "service/log.hpp"

#include <openssl/evp.h>

#include <fmt/format.h>

#include <fstream>
#include <random>
#include <thread>

namespace alcape::service {

std::string strip_stable(std::string version) {
  auto pos = version.find("stable");
  if (pos != std::string::npos) version.erase(pos, 6);
  return version;
}

StatusOr<json::Value> unwrap_envelope(const HttpResponse& r, const std::string& what) {
  json::Value doc = json::Value::parse(r.body, nullptr, false);
  std::string message;
  if (doc.is_object() && doc.contains("api_error_message") && doc["api_error_message"].is_string())
    message = doc["api_error_message"].get<std::string>();
  if (r.status == 401 || r.status == 403)
    return Error{ErrorCode::kAuth, fmt::format("HTTP {}: {}", r.status, message), what};
  if (r.status >= 500) return Error{ErrorCode::kHttpStatus, fmt::format("HTTP {}: {}", r.status, message), what};
  if (r.status == 404) return Error{ErrorCode::kInvalidInput, fmt::format("HTTP 404: {}", message), what};
  if (r.status != 200)
    return Error{ErrorCode::kApiError, fmt::format("HTTP {}: {}", r.status, message), what};
  if (!doc.is_object() || !doc.contains("api_response"))
    return Error{ErrorCode::kBadAnswer, "answer is not the service-server envelope", what};
  return doc["api_response"];
}

ServerClient::ServerClient(ServerSettings settings, const std::atomic<bool>* stop)
    : settings_(std::move(settings)), stop_(stop) {
  while (!settings_.base_url.empty() && settings_.base_url.back() == '/') settings_.base_url.pop_back();
}

std::string ServerClient::url(const std::string& path) const { return settings_.base_url + path; }

Headers ServerClient::common_headers() const {
  return {{"X-APIKey", settings_.api_key},
          {"Container-ID", settings_.container_id},
          {"Service-Name", settings_.service_name},
          {"Service-Version", settings_.service_version},
          {"Service-Tool-Version", settings_.tool_version}};
}

StatusOr<HttpResponse> ServerClient::call(HttpRequest req, std::optional<std::chrono::steady_clock::time_point> until,
                                          bool reconnect) {
  Headers h = common_headers();
  h.insert(h.end(), req.headers.begin(), req.headers.end());
  req.headers = std::move(h);
  if (req.ca_bundle.empty()) req.ca_bundle = settings_.ca_file;
  req.connect_timeout = std::chrono::seconds(10);
  const std::string what = req.method + " " + req.url;
  std::minstd_rand rng(std::random_device{}());
  for (int attempt = 0;; ++attempt) {
    auto r = net::perform(req, what);
    bool transient = !r.ok() && (r.error().code == ErrorCode::kConnect || r.error().code == ErrorCode::kTimeout);
    // 502/503/504 come from a proxy in front of a restarting server: wait like for a refused connection.
    if (r.ok() && (r->status == 502 || r->status == 503 || r->status == 504)) transient = true;
    if (!transient || !reconnect) return r;
    if (stopping()) return Error{ErrorCode::kCancelled, "stopping", req.method + " " + req.url};
    auto wait = settings_.backoff_base * (1LL << std::min(attempt, 16));
    if (wait > settings_.backoff_max) wait = settings_.backoff_max;
    wait += std::chrono::milliseconds(rng() % (wait.count() / 4 + 1));  // jitter: instances don't stampede
    if (until && std::chrono::steady_clock::now() + wait > *until) return r;
    if (attempt == 0 || attempt % 10 == 0)
      log::warning(fmt::format("service server unreachable ({}), retrying", r.ok() ? fmt::format("HTTP {}", r->status)
                                                                                   : r.error().describe()));
    // Sleep in small steps so SIGTERM is seen quickly.
    auto end = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < end && !stopping())
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

StatusOr<RegisterAnswer> ServerClient::register_service(const json::Value& manifest) {
  HttpRequest req;
  req.method = "PUT";
  req.url = url("/api/v1/service/register/");
  req.headers = {{"Content-Type", "application/json"}};
  req.body = manifest.dump(-1, ' ', false, json::Value::error_handler_t::replace);
  req.total_timeout = settings_.request_timeout;
  auto r = call(std::move(req), std::nullopt);
  if (!r.ok()) return r.error();
  auto body = unwrap_envelope(*r, "register " + settings_.service_name + " " + settings_.service_version);
  if (!body.ok()) return body.error();
  RegisterAnswer a;
  const json::Value& v = *body;
  if (v.contains("keep_alive") && v["keep_alive"].is_boolean()) a.keep_alive = v["keep_alive"].get<bool>();
  if (v.contains("service_config") && v["service_config"].is_object()) a.service_config = v["service_config"];
  if (v.contains("new_heuristics") && v["new_heuristics"].is_array())
    for (const auto& h : v["new_heuristics"])
      if (h.is_string()) a.new_heuristics.push_back(h.get<std::string>());
  return a;
}

StatusOr<json::Value> ServerClient::get_task() {
  HttpRequest req;
  req.url = url("/api/v1/task/");
  req.headers = {{"Timeout", std::to_string(settings_.long_poll_seconds)}};
  // The server holds the call for up to `Timeout` seconds: give it that plus room.
  req.total_timeout = std::chrono::seconds(settings_.long_poll_seconds) + std::chrono::seconds(30);
  req.abort = stop_;  // SIGTERM while waiting for work: leave at once
  auto r = call(std::move(req), std::nullopt);
  if (!r.ok()) return r.error();
  // 404: the service is not known to the dispatcher yet; the caller waits before asking again.
  if (r->status == 404)
    return Error{ErrorCode::kHttpStatus, "HTTP 404: the service server does not know this service yet", "get task"};
  auto body = unwrap_envelope(*r, "get task");
  if (!body.ok()) return body.error();
  if (!body->is_object() || !body->contains("task") || !(*body)["task"].is_object()) return json::Value();
  return (*body)["task"];
}

Status ServerClient::download_file(const std::string& sha256, const std::filesystem::path& dest) {
  std::string what = "download " + sha256;
  Error last{ErrorCode::kBadAnswer, "no attempt made", what};
  for (int attempt = 0; attempt < settings_.download_attempts; ++attempt) {
    if (stopping()) return Error{ErrorCode::kCancelled, "stopping", what};
    HttpRequest req;
    req.url = url("/api/v1/file/" + sha256 + "/");
    req.download_to = dest;
    req.total_timeout = settings_.file_timeout;
    auto r = call(std::move(req), std::nullopt);
    if (!r.ok()) return r.error();
    if (r->status == 404) return Error{ErrorCode::kInvalidInput, "the file was not found in the system", what};
    if (r->status != 200) {
      last = Error{ErrorCode::kHttpStatus, fmt::format("HTTP {}", r->status), what};
      continue;
    }
    auto actual = digest::sha256_file(dest);
    const std::string got = actual.ok() ? actual.value() : "unreadable";
    if (got == sha256) return Status();
    last = Error{ErrorCode::kBadAnswer, "downloaded file does not match its SHA-256 (got " + got + ")", what};
    log::warning(last.describe());
  }
  std::error_code ec;
  std::filesystem::remove(dest, ec);
  return last;
}

StatusOr<PostAnswer> ServerClient::post_task(const std::string& body) {
  HttpRequest req;
  req.method = "POST";
  req.url = url("/api/v1/task/");
  req.headers = {{"Content-Type", "application/json"}};
  req.body = body;
  req.total_timeout = settings_.request_timeout;
  auto r = call(std::move(req), std::nullopt);
  if (!r.ok()) return r.error();
  auto v = unwrap_envelope(*r, "post task result");
  if (!v.ok()) return v.error();
  PostAnswer a;
  if (v->is_object()) {
    a.success = v->value("success", false);
    if (v->contains("missing_files") && (*v)["missing_files"].is_array())
      for (const auto& m : (*v)["missing_files"])
        if (m.is_string()) a.missing_files.push_back(m.get<std::string>());
  }
  return a;
}

Status ServerClient::upload_file(const std::filesystem::path& path, const std::string& sha256,
                                 const std::string& classification, int ttl_days, bool section_image,
                                 bool supplementary) {
  HttpRequest req;
  req.method = "PUT";
  req.url = url("/api/v1/file/");
  req.upload_file = path;
  req.headers = {{"Content-Type", "application/octet-stream"},
                 {"Sha256", sha256},
                 {"Classification", classification},
                 {"Ttl", std::to_string(ttl_days)},
                 {"Is-Section-Image", section_image ? "True" : "False"},
                 {"Is-Supplementary", supplementary ? "True" : "False"}};
  req.total_timeout = settings_.file_timeout;
  auto r = call(std::move(req), std::nullopt);
  if (!r.ok()) return r.error();
  auto v = unwrap_envelope(*r, "upload " + sha256);
  if (!v.ok()) return v.error();
  return Status();
}

StatusOr<json::Value> ServerClient::get_safelist() {
  HttpRequest req;
  req.url = url("/api/v1/safelist/");
  req.total_timeout = settings_.request_timeout;
  auto r = call(std::move(req), std::nullopt, /*reconnect=*/false);
  if (!r.ok()) return r.error();
  return unwrap_envelope(*r, "get safelist");
}

}  // namespace alcape::service
