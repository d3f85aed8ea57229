#include "analysis/tagging/url_parse.hpp"

#include "analysis/tagging/inet.hpp"
#include "analysis/tagging/py_text.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace alcape::analysis::url {

namespace {

bool is_scheme_char(char c) { return pytext::is_ascii_alnum(c) || c == '+' || c == '-' || c == '.'; }

// CPython _check_bracketed_host: "v<hex>.<anything>" (IPvFuture) or an IPv6 address.
bool bracketed_host_ok(std::string_view host) {
  if (!host.empty() && host[0] == 'v') {
    // \Av[a-fA-F0-9]+\..+\Z  ('.' does not match a newline)
    size_t i = 1;
    while (i < host.size() && std::isxdigit(static_cast<unsigned char>(host[i]))) ++i;
    if (i == 1 || i >= host.size() || host[i] != '.') return false;
    std::string_view rest = host.substr(i + 1);
    return !rest.empty() && rest.find('\n') == std::string_view::npos;
  }
  // ip_address(): an IPv4 address is rejected too ("cannot be in brackets").
  return inet::python_ipv6_valid(host);
}

}  // namespace

std::optional<SplitResult> urlsplit(std::string_view input) {
  // Leading C0 controls and spaces are stripped; tabs and newlines are removed everywhere (WHATWG).
  size_t lead = 0;
  while (lead < input.size() && static_cast<unsigned char>(input[lead]) <= 0x20) ++lead;
  std::string u;
  u.reserve(input.size() - lead);
  for (size_t i = lead; i < input.size(); ++i) {
    char c = input[i];
    if (c != '\t' && c != '\r' && c != '\n') u += c;
  }
  SplitResult r;
  std::string_view rest = u;
  size_t colon = rest.find(':');
  if (colon != std::string_view::npos && colon > 0 && pytext::is_ascii_alpha(rest[0]) &&
      std::all_of(rest.begin(), rest.begin() + static_cast<long>(colon), is_scheme_char)) {
    r.scheme = pytext::ascii_lower(rest.substr(0, colon));
    rest.remove_prefix(colon + 1);
  }
  if (pytext::starts_with(rest, "//")) {
    size_t delim = rest.size();
    for (char c : {'/', '?', '#'}) {
      size_t w = rest.find(c, 2);
      if (w != std::string_view::npos) delim = std::min(delim, w);
    }
    r.netloc = std::string(rest.substr(2, delim - 2));
    rest.remove_prefix(delim);
    bool open = r.netloc.find('[') != std::string::npos, close = r.netloc.find(']') != std::string::npos;
    if (open != close) return std::nullopt;  // "Invalid IPv6 URL"
    if (open) {
      std::string_view after = std::string_view(r.netloc).substr(r.netloc.find('[') + 1);
      if (!bracketed_host_ok(after.substr(0, after.find(']')))) return std::nullopt;
    }
  }
  size_t hash = rest.find('#');
  if (hash != std::string_view::npos) {
    r.fragment = std::string(rest.substr(hash + 1));
    rest = rest.substr(0, hash);
  }
  size_t q = rest.find('?');
  if (q != std::string_view::npos) {
    r.query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  r.path = std::string(rest);
  return r;
}

void SplitResult::hostinfo(std::string_view& host, std::optional<std::string_view>& port) const {
  std::string_view n = netloc;
  size_t at = n.rfind('@');
  std::string_view info = at == std::string_view::npos ? n : n.substr(at + 1);
  std::string_view port_text;
  size_t br = info.find('[');
  if (br != std::string_view::npos) {
    std::string_view bracketed = info.substr(br + 1);
    size_t close = bracketed.find(']');
    host = bracketed.substr(0, close);
    std::string_view after = close == std::string_view::npos ? std::string_view() : bracketed.substr(close + 1);
    size_t c = after.find(':');
    port_text = c == std::string_view::npos ? std::string_view() : after.substr(c + 1);
  } else {
    size_t c = info.find(':');
    host = info.substr(0, c);
    port_text = c == std::string_view::npos ? std::string_view() : info.substr(c + 1);
  }
  if (port_text.empty()) port.reset();
  else port = port_text;
}

std::optional<std::string> SplitResult::hostname() const {
  std::string_view host;
  std::optional<std::string_view> port;
  hostinfo(host, port);
  if (host.empty()) return std::nullopt;
  size_t pct = host.find('%');
  std::string out = pytext::ascii_lower(host.substr(0, pct));
  if (pct != std::string_view::npos) out += host.substr(pct);
  return out;
}

std::optional<int> SplitResult::port(bool& valid) const {
  valid = true;
  std::string_view host;
  std::optional<std::string_view> text;
  hostinfo(host, text);
  if (!text) return std::nullopt;
  // Python 3.11: port.isdigit() and port.isascii(), then 0..65535.
  long value = 0;
  for (char c : *text) {
    if (!pytext::is_ascii_digit(c)) {
      valid = false;
      return std::nullopt;
    }
    if (value <= 65535) value = value * 10 + (c - '0');
  }
  if (value > 65535) {
    valid = false;
    return std::nullopt;
  }
  return static_cast<int>(value);
}

std::string urlunsplit(const SplitResult& p) {
  static constexpr std::array<std::string_view, 26> kUsesNetloc = {
      "",     "ftp",  "http",  "gopher", "nntp",  "telnet", "imap", "wais",    "file",
      "mms",  "https", "shttp", "snews", "prospero", "rtsp", "rtsps", "rtspu", "rsync",
      "svn",  "svn+ssh", "sftp", "nfs", "git", "git+ssh", "ws", "wss"};
  std::string url = p.path;
  bool uses_netloc = std::find(kUsesNetloc.begin(), kUsesNetloc.end(), p.scheme) != kUsesNetloc.end();
  if (!p.netloc.empty() || (!p.scheme.empty() && uses_netloc && url.substr(0, 2) != "//")) {
    if (!url.empty() && url[0] != '/') url = "/" + url;
    url = "//" + p.netloc + url;
  }
  if (!p.scheme.empty()) url = p.scheme + ":" + url;
  if (!p.query.empty()) url += "?" + p.query;
  if (!p.fragment.empty()) url += "#" + p.fragment;
  return url;
}

}  // namespace alcape::analysis::url
