// HTTP header handling of _process_http_calls: parsing raw requests/responses into header dicts, the
// standard-header check and the Accept-Language flagging; and the https conversion for TLS-decrypting proxies.
#pragma once

#include "json/value.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis::network {

// _handle_http_headers: {name: value} for the "Name: value" lines after the request/status line. Like the
// reference, dashes are removed from the names ("User-Agent" -> "UserAgent").
json::Value parse_http_headers(const json::Value& raw);

// Whether `name` is in STANDARD_HTTP_HEADERS (data/standard_http_headers.json: upper-case, dashed names).
bool is_standard_http_header(std::string_view name);

// network_helper.convert_url_to_https: "http://host:443/path" of a CONNECT through a TLS-decrypting proxy
// becomes "https://host/path"; other URLs are returned unchanged.
std::string convert_url_to_https(std::string_view method, std::string_view url);

}  // namespace alcape::analysis::network
