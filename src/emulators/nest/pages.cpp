#include "emulators/nest/pages.hpp"

namespace alcape::emulators::nest {

namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string status_reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 301: return "Moved Permanently";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Request Entity Too Large";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Temporarily Unavailable";
    case 504: return "Gateway Time-out";
  }
  return "Error";
}

std::string django_404_page(const std::string& path) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta http-equiv=\"content-type\" content=\"text/html; "
         "charset=utf-8\">\n  <title>Page not found at " + escape(path) +
         "</title>\n  <meta name=\"robots\" content=\"NONE,NOARCHIVE\">\n</head>\n<body>\n  <div id=\"summary\">\n"
         "    <h1>Page not found <span>(404)</span></h1>\n    <table class=\"meta\">\n      <tr><th>Request Method:</th>"
         "<td>GET</td></tr>\n      <tr><th>Request URL:</th><td>" + escape(path) +
         "</td></tr>\n    </table>\n  </div>\n  <div id=\"info\">\n    <p>Using the URLconf defined in <code>web.urls"
         "</code>, Django tried these URL patterns, in this order:</p>\n    <p>The current path, <code>" +
         escape(path.size() > 1 ? path.substr(1) : path) +
         "</code>, didn't match any of these.</p>\n  </div>\n  <div id=\"explanation\">\n    <p>You're seeing this "
         "error because you have <code>DEBUG = True</code> in your Django settings file.</p>\n  </div>\n</body>\n"
         "</html>\n";
}

std::string django_500_page(const std::string& exception, const std::string& path, const std::string& message) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta http-equiv=\"content-type\" content=\"text/html; "
         "charset=utf-8\">\n  <meta name=\"robots\" content=\"NONE,NOARCHIVE\">\n  <title>" + escape(exception) +
         " at " + escape(path) + "</title>\n</head>\n<body>\n<div id=\"summary\">\n  <h1>" + escape(exception) +
         " at " + escape(path) + "</h1>\n  <pre class=\"exception_value\">" + escape(message) +
         "</pre>\n</div>\n<div id=\"explanation\">\n  <p>You're seeing this error because you have <code>DEBUG = "
         "True</code> in your Django settings file.</p>\n</div>\n</body>\n</html>\n";
}

std::string append_slash_post_page(const std::string& host, const std::string& path) {
  return django_500_page(
      "RuntimeError", path,
      "You called this URL via POST, but the URL doesn't end in a slash and you have APPEND_SLASH set. Django "
      "can't redirect to the slash URL while maintaining POST data. Change your form to point to " + host + path +
      "/ (note the trailing slash), or set APPEND_SLASH=False in your Django settings.");
}

std::string nginx_error_page(int status) {
  const std::string line = std::to_string(status) + " " + status_reason(status);
  return "<html>\r\n<head><title>" + line + "</title></head>\r\n<body>\r\n<center><h1>" + line +
         "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
}

std::string api_index_page() {
  return "<!DOCTYPE html>\n<html>\n<head><title>CAPE API v2</title></head>\n<body>\n<h1>REST API</h1>\n"
         "<p>CAPE emulator (al-cape nest): see docs/emulators.md.</p>\n</body>\n</html>\n";
}

}  // namespace alcape::emulators::nest
