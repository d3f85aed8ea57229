#include "service/http.hpp"

#include "nest/curl_api.hpp"

#include <cstdio>
#include <memory>

namespace alcape::service {
namespace {

size_t to_string_cb(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t to_file_cb(char* data, size_t size, size_t n, void* out) {
  return std::fwrite(data, size, n, static_cast<FILE*>(out)) * size;
}

int progress_cb(void* abort, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(abort)->load() ? 1 : 0;
}

struct FileCloser {
  void operator()(FILE* f) const { if (f) std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

}  // namespace

Status global_http_init() {
  auto loaded = nest::curl_api();
  return loaded.ok() ? Status() : Status(loaded.error());
}

StatusOr<HttpResponse> perform(const HttpRequest& req) {
  auto loaded = nest::curl_api();
  if (!loaded.ok()) return loaded.error();
  const nest::CurlApi& api = **loaded;
  std::unique_ptr<CURL, decltype(api.easy_cleanup)> curl(api.easy_init(), api.easy_cleanup);
  if (!curl) return Error{ErrorCode::kInternal, "curl_easy_init failed", req.url};
  CURL* c = curl.get();
  HttpResponse response;
  api.easy_setopt(c, CURLOPT_URL, req.url.c_str());
  api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(req.timeout.count()));
  api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.connect_timeout.count()));
  if (req.abort) {
    api.easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    api.easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
    api.easy_setopt(c, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(req.abort));
  }
  if (!req.ca_file.empty()) api.easy_setopt(c, CURLOPT_CAINFO, req.ca_file.c_str());

  curl_slist* headers = nullptr;
  // "Name;" is libcurl's way to send a header with an empty value ("Name:" would remove it).
  for (const auto& [k, v] : req.headers)
    headers = api.slist_append(headers, (v.empty() ? k + ";" : k + ": " + v).c_str());
  // libcurl would otherwise send "Expect: 100-continue" on large uploads and wait for the server.
  headers = api.slist_append(headers, "Expect:");
  std::unique_ptr<curl_slist, decltype(api.slist_free_all)> header_guard(headers, api.slist_free_all);
  api.easy_setopt(c, CURLOPT_HTTPHEADER, headers);

  FilePtr upload;
  if (!req.upload_file.empty()) {
    upload.reset(std::fopen(req.upload_file.c_str(), "rb"));
    if (!upload) return Error{ErrorCode::kUnreadable, "cannot open file to upload", req.upload_file.string()};
    std::error_code ec;
    auto size = std::filesystem::file_size(req.upload_file, ec);
    api.easy_setopt(c, CURLOPT_UPLOAD, 1L);
    api.easy_setopt(c, CURLOPT_READDATA, upload.get());
    api.easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(ec ? 0 : size));
    api.easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  } else if (req.method == "GET") {
    api.easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    api.easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    api.easy_setopt(c, CURLOPT_POSTFIELDS, req.body.c_str());
    api.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }

  FilePtr download;
  if (!req.download_to.empty()) {
    download.reset(std::fopen(req.download_to.c_str(), "wb"));
    if (!download) return Error{ErrorCode::kUnreadable, "cannot create download file", req.download_to.string()};
    api.easy_setopt(c, CURLOPT_WRITEFUNCTION, to_file_cb);
    api.easy_setopt(c, CURLOPT_WRITEDATA, download.get());
  } else {
    api.easy_setopt(c, CURLOPT_WRITEFUNCTION, to_string_cb);
    api.easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  }

  CURLcode rc = api.easy_perform(c);
  if (rc == CURLE_ABORTED_BY_CALLBACK) return Error{ErrorCode::kCancelled, "stopping", req.method + " " + req.url};
  if (rc != CURLE_OK) {
    ErrorCode code = rc == CURLE_OPERATION_TIMEDOUT ? ErrorCode::kTimeout : ErrorCode::kConnect;
    return Error{code, api.easy_strerror(rc), req.method + " " + req.url};
  }
  api.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  if (download && std::fflush(download.get()) != 0)
    return Error{ErrorCode::kUnreadable, "cannot write download file", req.download_to.string()};
  return response;
}

}  // namespace alcape::service
