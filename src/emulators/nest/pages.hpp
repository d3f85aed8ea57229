// The HTML pages a CAPE web server answers with where no JSON comes: Django debug 404/500 pages (CAPE runs
// with DEBUG = True), nginx 413/502/503/504 pages, the /apiv2/ index.
#pragma once

#include <string>

namespace alcape::emulators::nest {

std::string django_404_page(const std::string& path);
std::string django_500_page(const std::string& exception, const std::string& path, const std::string& message);
// "RuntimeError: You called this URL via POST, but the URL doesn't end in a slash ..." (APPEND_SLASH).
std::string append_slash_post_page(const std::string& host, const std::string& path);
std::string nginx_error_page(int status);
std::string api_index_page();
std::string status_reason(int status);

}  // namespace alcape::emulators::nest
