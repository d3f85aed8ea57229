#include "analysis/network/http_headers.hpp"

#include "core/ascii.hpp"
#include "data/embedded.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace alcape::analysis::network {

namespace {

std::vector<std::string_view> split(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, pos - start));
    start = pos + sep.size();
  }
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::toupper(c); });
  return out;
}


std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

const std::set<std::string, std::less<>>& standard_headers() {
  static const std::set<std::string, std::less<>> names = [] {
    std::set<std::string, std::less<>> out;
    json::Value list = json::Value::parse(data::file("standard_http_headers.json"));
    for (const auto& n : list)
      if (n.is_string()) out.insert(n.get<std::string>());
    return out;
  }();
  return names;
}

}  // namespace

json::Value parse_http_headers(const json::Value& raw) {
  json::Value headers = json::Value::object();
  if (!raw.is_string()) return headers;
  std::string_view text = raw.get_ref<const std::string&>();
  if (text.find("\r\n") == std::string_view::npos) return headers;
  auto lines = split(text, "\r\n");
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) break;  // the body follows
    auto values = split(lines[i], ": ");
    if (values.size() != 2) continue;
    headers[std::string(values[0])] = std::string(values[1]);
  }
  return headers;
}

bool is_standard_http_header(std::string_view name) { return standard_headers().count(upper(name)) > 0; }

json::Value non_standard_headers(const json::Value& request_headers) {
  json::Value out = json::Value::object();
  if (!request_headers.is_object()) return out;
  for (auto it = request_headers.begin(); it != request_headers.end(); ++it)
    if (!is_standard_http_header(it.key())) out[it.key()] = it.value();
  return out;
}

json::Value flagged_languages(const json::Value& request_headers, const std::vector<std::string>& suspicious) {
  json::Value out = json::Value::array();
  if (!request_headers.is_object()) return out;
  for (auto it = request_headers.begin(); it != request_headers.end(); ++it) {
    if (ascii_lower(it.key()) != "accept-language" || !it.value().is_string()) continue;
    for (auto range : split(it.value().get_ref<const std::string&>(), ",")) {
      range = trim(range.substr(0, range.find(';')));
      if (range.empty()) continue;
      std::string lowered = ascii_lower(range);
      for (const auto& lang : suspicious) {
        if (lang.empty() || lowered.find(ascii_lower(lang)) == std::string::npos) continue;
        if (std::find(out.begin(), out.end(), json::Value(std::string(range))) == out.end())
          out.push_back(std::string(range));
        break;
      }
    }
  }
  return out;
}

std::string language_signature(std::string_view language_range) {
  size_t dash = language_range.find('-');
  std::string_view region = dash == std::string_view::npos ? language_range : language_range.substr(dash + 1);
  return "suspicious_language_accepted_" + ascii_lower(region);
}

bool is_suspicious_user_agent(const json::Value& user_agent) {
  if (!user_agent.is_string()) return false;
  const std::string& ua = user_agent.get_ref<const std::string&>();
  for (std::string_view agent : {"Microsoft BITS", "Excel Service"}) {
    if (ua.compare(0, agent.size(), agent) != 0) continue;
    if (ua.size() == agent.size() || ua[agent.size()] == '/') return true;
  }
  return false;
}

std::string convert_url_to_https(std::string_view method, std::string_view url) {
  std::string lower_method(method);
  std::transform(lower_method.begin(), lower_method.end(), lower_method.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  auto colon = url.find(':');
  if (colon == std::string_view::npos) return std::string(url);
  std::string scheme(url.substr(0, colon));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  if (scheme != "http" || lower_method != "connect" || url.find(":443") == std::string_view::npos)
    return std::string(url);
  std::string_view rest = url.substr(colon + 1);
  std::string_view netloc;
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    size_t end = rest.find_first_of("/?#");
    netloc = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
  }
  // urlparse: the path ends at the query or fragment, and at a ';' (params) in its last segment.
  size_t path_end = rest.find_first_of("?#");
  std::string_view path = rest.substr(0, path_end);
  size_t last_slash = path.rfind('/');
  size_t semi = path.find(';', last_slash == std::string_view::npos ? 0 : last_slash);
  if (semi != std::string_view::npos) path = path.substr(0, semi);
  std::string_view tail = rest.substr(path.size());
  auto strip_443 = [](std::string_view s) {
    if (s.size() >= 4 && s.substr(s.size() - 4) == ":443") {
      // partition(":443") keeps what precedes the first occurrence.
      return s.substr(0, s.find(":443"));
    }
    return s;
  };
  // urlunparse: "https" always gets a netloc part, and a non-empty path starts with '/'.
  std::string out = "https://";
  out += strip_443(netloc);
  std::string_view new_path = strip_443(path);
  if (!new_path.empty() && new_path.front() != '/') out += '/';
  out += new_path;
  out += tail;
  return out;
}

}  // namespace alcape::analysis::network
