#include "net/http_client.hpp"

#include "core/ascii.hpp"
#include "net/curl_api.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

namespace alcape::net {
namespace {

constexpr size_t kKeptPrefix = 64 * 1024;

struct Sink {
  std::string* body = nullptr;
  std::FILE* file = nullptr;
  uint64_t bytes = 0;
  uint64_t max_memory = 0;
  bool too_large = false;
  bool write_failed = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t len = size * n;
  sink->bytes += len;
  if (sink->file) {
    if (std::fwrite(data, 1, len, sink->file) != len) {
      sink->write_failed = true;
      return 0;
    }
    if (sink->body->size() < kKeptPrefix) sink->body->append(data, std::min(len, kKeptPrefix - sink->body->size()));
    return len;
  }
  if (sink->bytes > sink->max_memory) {
    sink->too_large = true;
    return 0;
  }
  sink->body->append(data, len);
  return len;
}


std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* resp = static_cast<HttpResponse*>(user);
  const size_t len = size * n;
  std::string line(data, len);
  auto colon = line.find(':');
  if (colon == std::string::npos) return len;
  std::string name = ascii_lower(line.substr(0, colon));
  std::string value = trim(line.substr(colon + 1));
  if (name == "content-type") resp->content_type = value;
  else if (name == "location") resp->location = value;
  else if (name == "retry-after") {
    char* end = nullptr;
    long v = std::strtol(value.c_str(), &end, 10);
    if (end != value.c_str() && v >= 0) resp->retry_after_s = v;  // HTTP-date form: ignored, backoff applies
  }
  return len;
}

int on_progress(void* abort, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(abort)->load() ? 1 : 0;
}

// Whether the request can have reached the server for this curl failure.
bool may_have_been_sent(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return false;
    default:
      return true;
  }
}

Error transport_error(const CurlApi& api, CURLcode rc, const char* errbuf, const std::string& context) {
  std::string detail = errbuf && *errbuf ? std::string(errbuf) : std::string(api.easy_strerror(rc));
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return make_error(ErrorCode::kTimeout, "timed out: " + detail, context);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return make_error(ErrorCode::kInvalidParams, "bad URL: " + detail, context);
    case CURLE_ABORTED_BY_CALLBACK:
      return make_error(ErrorCode::kCancelled, "stopping", context);
    default:
      return make_error(ErrorCode::kConnect, "connection failed: " + detail, context);
  }
}

struct CurlDeleter {
  const CurlApi* api;
  void operator()(CURL* c) const { api->easy_cleanup(c); }
};
struct MimeDeleter {
  const CurlApi* api;
  void operator()(curl_mime* m) const { api->mime_free(m); }
};
struct SlistDeleter {
  const CurlApi* api;
  void operator()(curl_slist* l) const { api->slist_free_all(l); }
};
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

StatusOr<HttpResponse> perform(const HttpRequest& req, const std::string& context, bool* request_may_have_been_sent) {
  if (request_may_have_been_sent) *request_may_have_been_sent = false;
  auto loaded = curl_api();
  if (!loaded.ok()) return loaded.error();
  const CurlApi& api = **loaded;
  std::unique_ptr<CURL, CurlDeleter> curl(api.easy_init(), CurlDeleter{&api});
  if (!curl) return make_error(ErrorCode::kInternal, "curl_easy_init failed", context);
  CURL* h = curl.get();
  char errbuf[CURL_ERROR_SIZE] = {0};
  HttpResponse resp;
  Sink sink;
  sink.body = &resp.body;
  sink.max_memory = req.max_memory_body;

  std::unique_ptr<std::FILE, FileCloser> out;
  if (!req.download_to.empty()) {
    out.reset(std::fopen(req.download_to.c_str(), "wb"));
    if (!out) return make_error(ErrorCode::kUnreadable, "cannot create " + req.download_to.string(), context);
    sink.file = out.get();
  }

  api.easy_setopt(h, CURLOPT_URL, req.url.c_str());
  api.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  api.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect is reported, never followed (a POST would turn into a GET)
  api.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.connect_timeout.count()));
  api.easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(req.total_timeout.count()));
  api.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  api.easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  api.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  api.easy_setopt(h, CURLOPT_HEADERDATA, &resp);
  api.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, req.verify_tls ? 1L : 0L);
  api.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, req.verify_tls ? 2L : 0L);
  if (!req.ca_bundle.empty()) api.easy_setopt(h, CURLOPT_CAINFO, req.ca_bundle.c_str());
  api.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");

  if (req.abort) {
    api.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    api.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    api.easy_setopt(h, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(req.abort));
  }

  std::unique_ptr<curl_slist, SlistDeleter> headers(nullptr, SlistDeleter{&api});
  for (const auto& [name, value] : req.headers)  // "Name;" is libcurl's way to send an empty value
    headers.reset(api.slist_append(headers.release(), (value.empty() ? name + ";" : name + ": " + value).c_str()));
  headers.reset(api.slist_append(headers.release(), "Expect:"));  // no 100-continue round trip on uploads
  api.easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());

  std::unique_ptr<curl_mime, MimeDeleter> mime(nullptr, MimeDeleter{&api});
  std::unique_ptr<std::FILE, FileCloser> upload;
  if (!req.form_fields.empty() || !req.file_field.empty()) {
    mime.reset(api.mime_init(h));
    for (const auto& [name, value] : req.form_fields) {
      curl_mimepart* part = api.mime_addpart(mime.get());
      api.mime_name(part, name.c_str());
      api.mime_data(part, value.data(), value.size());
    }
    if (!req.file_field.empty()) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(req.file_path, ec))
        return make_error(ErrorCode::kUnreadable, "cannot read " + req.file_path.string(), context);
      curl_mimepart* part = api.mime_addpart(mime.get());
      api.mime_name(part, req.file_field.c_str());
      if (api.mime_filedata(part, req.file_path.c_str()) != CURLE_OK)  // streamed while sending
        return make_error(ErrorCode::kUnreadable, "cannot read " + req.file_path.string(), context);
      api.mime_filename(part, req.file_name.c_str());
      api.mime_type(part, "application/octet-stream");
    }
    api.easy_setopt(h, CURLOPT_MIMEPOST, mime.get());
  } else if (!req.upload_file.empty()) {
    upload.reset(std::fopen(req.upload_file.c_str(), "rb"));
    std::error_code ec;
    const auto size = std::filesystem::file_size(req.upload_file, ec);
    if (!upload || ec) return make_error(ErrorCode::kUnreadable, "cannot read " + req.upload_file.string(), context);
    api.easy_setopt(h, CURLOPT_UPLOAD, 1L);
    api.easy_setopt(h, CURLOPT_READDATA, upload.get());
    api.easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
  } else if (req.method == "GET") {
    api.easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    api.easy_setopt(h, CURLOPT_POSTFIELDS, req.body.c_str());
    api.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  if (req.method != "GET" && req.method != "POST") api.easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());

  CURLcode rc = api.easy_perform(h);
  resp.body_bytes = sink.bytes;
  if (out) {
    if (std::fflush(out.get()) != 0) sink.write_failed = true;
    out.reset();
  }
  if (rc != CURLE_OK) {
    if (request_may_have_been_sent) *request_may_have_been_sent = may_have_been_sent(rc);
    if (sink.too_large)
      return make_error(ErrorCode::kTooLarge,
                        "answer larger than " + std::to_string(req.max_memory_body) + " bytes", context);
    if (sink.write_failed)
      return make_error(ErrorCode::kUnreadable, "cannot write " + req.download_to.string(), context);
    return transport_error(api, rc, errbuf, context);
  }
  if (request_may_have_been_sent) *request_may_have_been_sent = true;
  api.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp.status);
  return resp;
}

}  // namespace alcape::net
