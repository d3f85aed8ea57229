// libcurl, loaded on first use (see core/shared_library.hpp for why it is not linked).
//
// The members have libcurl's own signatures (decltype of its declarations), so calls read as
// `curl.easy_setopt(h, CURLOPT_URL, url)`. Loading also runs curl_global_init once; it is thread-safe.
#pragma once

#include "core/status.hpp"

#include <curl/curl.h>

namespace alcape::net {

struct CurlApi {
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
  decltype(&::curl_mime_init) mime_init = nullptr;
  decltype(&::curl_mime_free) mime_free = nullptr;
  decltype(&::curl_mime_addpart) mime_addpart = nullptr;
  decltype(&::curl_mime_name) mime_name = nullptr;
  decltype(&::curl_mime_data) mime_data = nullptr;
  decltype(&::curl_mime_filedata) mime_filedata = nullptr;
  decltype(&::curl_mime_filename) mime_filename = nullptr;
  decltype(&::curl_mime_type) mime_type = nullptr;
};

inline constexpr const char* kCurlSoname = ALCAPE_CURL_SONAME;  // defined once, in CMakeLists.txt

// The process-wide libcurl (loaded from kCurlSoname once); an error says which library or function is missing.
StatusOr<const CurlApi*> curl_api();

// Loads libcurl now: a service checks it at start-up, so a host without it fails with a message naming the
// library instead of on the first task.
Status load_libcurl();

// Loads a libcurl from `soname` (tests use it to check the error for a missing library).
StatusOr<CurlApi> load_curl_api(const char* soname);

}  // namespace alcape::net
