#include "net/curl_api.hpp"

#include "core/shared_library.hpp"

namespace alcape::net {

StatusOr<CurlApi> load_curl_api(const char* soname) {
  auto lib = SharedLibrary::open(soname);
  if (!lib.ok()) return lib.error();
  CurlApi api;
  for (Status s : {lib->bind("curl_global_init", api.global_init), lib->bind("curl_easy_init", api.easy_init),
                   lib->bind("curl_easy_cleanup", api.easy_cleanup), lib->bind("curl_easy_setopt", api.easy_setopt),
                   lib->bind("curl_easy_getinfo", api.easy_getinfo),
                   lib->bind("curl_easy_perform", api.easy_perform),
                   lib->bind("curl_easy_strerror", api.easy_strerror),
                   lib->bind("curl_slist_append", api.slist_append),
                   lib->bind("curl_slist_free_all", api.slist_free_all), lib->bind("curl_mime_init", api.mime_init),
                   lib->bind("curl_mime_free", api.mime_free), lib->bind("curl_mime_addpart", api.mime_addpart),
                   lib->bind("curl_mime_name", api.mime_name), lib->bind("curl_mime_data", api.mime_data),
                   lib->bind("curl_mime_filedata", api.mime_filedata),
                   lib->bind("curl_mime_filename", api.mime_filename), lib->bind("curl_mime_type", api.mime_type)})
    if (!s.ok()) return s.error();
  if (CURLcode rc = api.global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK)
    return Error{ErrorCode::kMissingLibrary, std::string("curl_global_init failed: ") + api.easy_strerror(rc),
                 soname};
  return api;
}

StatusOr<const CurlApi*> curl_api() {
  static const StatusOr<CurlApi> loaded = load_curl_api(kCurlSoname);  // once, thread-safe
  if (!loaded.ok()) return loaded.error();
  return &loaded.value();
}

Status load_libcurl() {
  auto loaded = curl_api();
  return loaded.ok() ? Status() : Status(loaded.error());
}

}  // namespace alcape::net
