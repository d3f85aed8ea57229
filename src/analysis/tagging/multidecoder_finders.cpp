// multidecoder's network finders (CybercentreCanada/Multidecoder v1.6.26, decoders/network.py: find_ips,
// find_domains, find_urls), which the reference's IOC hunt uses. They work on bytes; the values returned are
// the nodes' values (normalised IP, domain, normalised URL).
//
// IP_RE and DOMAIN_RE use look-behind and look-ahead assertions, which RE2 lacks: both are matched by the
// hand-written scanners below, which reproduce the backtracking regex's leftmost match (the reasoning is at
// each scanner). URL_RE's only look-ahead, (?!%5B) at the start of the host, is rewritten as three
// alternatives that cannot start with "%5B". The `regex` module's reverse matches ((?r) with endpos) are
// written as backward scans.
#include "analysis/tagging/ioc_extract.hpp"

#include "analysis/tagging/inet.hpp"
#include "analysis/tagging/py_text.hpp"
#include "analysis/tagging/url_parse.hpp"
#include "data/embedded.hpp"
#include "json/value.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <functional>
#include <string>
#include <unordered_set>

namespace alcape::analysis {

namespace {

using pytext::ascii_lower;
using pytext::is_ascii_alnum;
using pytext::is_ascii_alpha;
using pytext::is_ascii_digit;
using pytext::is_c_space;

bool is_word(char c) { return is_ascii_alnum(c) || c == '_'; }
bool is_hex(char c) { return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Python's bytes[a:b] for possibly negative a.
std::string_view py_slice(std::string_view s, long a, long b) {
  const long n = static_cast<long>(s.size());
  if (a < 0) a = std::max(0L, a + n);
  if (b < 0) b = std::max(0L, b + n);
  a = std::min(a, n);
  b = std::min(b, n);
  return a < b ? s.substr(static_cast<size_t>(a), static_cast<size_t>(b - a)) : std::string_view();
}

// ---------------------------------------------------------------- tables

struct MdTables {
  std::unordered_set<std::string> tlds;           // TOP_LEVEL_DOMAINS (upper case)
  std::unordered_set<std::string> root_fpos;      // domain_is_false_positive
  std::unordered_set<std::string> reliable_tlds;
};

const MdTables& md_tables() {
  static const MdTables t = [] {
    MdTables tt;
    std::string_view text = data::file("multidecoder_tlds.txt");
    for (size_t start = 0; start < text.size();) {
      size_t nl = text.find('\n', start);
      std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
      start = nl == std::string_view::npos ? text.size() : nl + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty() && line[0] != '#') tt.tlds.emplace(line);
    }
    json::Value fp = json::Value::parse(data::file("multidecoder_false_positives.json"));
    for (const auto& v : fp["root_fpos"]) tt.root_fpos.insert(v.get<std::string>());
    for (const auto& v : fp["reliable_tlds"]) tt.reliable_tlds.insert(v.get<std::string>());
    return tt;
  }();
  return t;
}

// ---------------------------------------------------------------- validators

// is_domain: DNS length limits, labels not starting/ending with '-', a known TLD.
bool md_is_domain(std::string_view domain) {
  if (domain.size() > 255) return false;
  size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos) return false;
  for (size_t start = 0; start < dot + 1;) {
    size_t d = domain.find('.', start);
    std::string_view label = domain.substr(start, d - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    start = d + 1;
  }
  return md_tables().tlds.count(pytext::ascii_upper(domain.substr(dot + 1))) > 0;
}

bool bytes_islower(std::string_view s) {  // bytes.islower()
  bool cased = false;
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') return false;
    if (c >= 'a' && c <= 'z') cased = true;
  }
  return cased;
}

bool bytes_isupper(std::string_view s) {
  bool cased = false;
  for (char c : s) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') cased = true;
  }
  return cased;
}

// domain_is_false_positive: dotted identifiers, file names and junk that look like domains.
bool domain_is_false_positive(std::string_view domain) {
  size_t last_dot = domain.rfind('.');
  if (last_dot == std::string_view::npos) return true;
  if (!bytes_islower(domain.substr(last_dot + 1)) && !bytes_isupper(domain)) return true;
  const MdTables& t = md_tables();
  const std::string lower = ascii_lower(domain);
  std::string_view lv = lower;
  size_t first_dot = lv.find('.');
  std::string_view root = lv.substr(0, first_dot);
  std::string_view tld = lv.substr(lv.rfind('.') + 1);
  size_t nlabels = 1;
  for (char c : lv) nlabels += c == '.';
  auto in_fpos = [&](std::string_view r) { return t.root_fpos.count(std::string(r)) > 0; };
  bool root_fp = (!root.empty() && root.back() == 's' && in_fpos(root.substr(0, root.size() - 1))) || in_fpos(root);
  auto suffix_of = [&](std::string_view whole) { return pytext::ends_with(whole, lv); };
  if (root.size() < 3 || root == "this") return true;
  if (pytext::starts_with(lv, "lib") && tld == "so") return true;
  if (root_fp && !t.reliable_tlds.count(std::string(tld))) return true;
  if (tld == "next" && lv.find("iterator") != std::string_view::npos) return true;
  if (nlabels == 3 && lv.substr(first_dot + 1, lv.rfind('.') - first_dot - 1) == "prototype" && root.size() < 3 &&
      tld.size() < 3)
    return true;
  if (pytext::ends_with(lv, "prototype.at")) return true;
  if (root.size() == 3 && root[1] == '-') return true;
  if (suffix_of("icrosoft.com") || suffix_of("harepoint.com") || suffix_of("utlook.com")) return true;
  std::array<size_t, 256> counts{};
  size_t most = 0;
  for (char c : lv) most = std::max(most, ++counts[static_cast<unsigned char>(c)]);
  return static_cast<double>(most) / static_cast<double>(lv.size()) > 0.6;
}

// parse_ip: socket.inet_aton, then the normalised dotted quad.
std::optional<std::string> md_parse_ip(std::string_view text) {
  auto a = inet::inet_aton(text);
  if (!a) return std::nullopt;
  return inet::ipv4_to_string(*a);
}

// is_url: a parsable port, a host that is an IPv4 (inet_aton), an IPv6 (inet_pton) or a known domain, and the
// scheme http, https or ftp.
bool md_is_url(std::string_view text) {
  auto split = url::urlsplit(text);  // (the reference raises ValueError on unbalanced or bad brackets)
  if (!split) return false;
  bool port_ok = true;
  split->port(port_ok);
  if (!port_ok) return false;
  auto host = split->hostname();
  if (!host) return false;
  if (!md_parse_ip(*host) && !inet::inet_pton6(*host) && !md_is_domain(*host)) return false;
  return split->scheme == "http" || split->scheme == "https" || split->scheme == "ftp";
}

// ---------------------------------------------------------------- IP_RE
//   (?i)(?<![\w.-])(?:OCTET[.]){3}OCTET(?![\w.=-])     OCTET = (?:0x0*[a-f0-9]{1,2}|0*\d{1,3})
// Every octet but the last must be followed by '.', and the last by a character outside [\w.=-]; both
// exclude word characters, so an octet always spans its whole run of digits (or "0x" + hex digits) and
// backtracking never finds another split. An octet is valid when that run, without leading zeros, has at
// most 3 decimal (2 hex) digits.

size_t octet_length(std::string_view d, size_t q) {
  if (q >= d.size()) return 0;
  if (d[q] == '0' && q + 1 < d.size() && (d[q + 1] == 'x' || d[q + 1] == 'X')) {
    size_t k = q + 2;
    while (k < d.size() && is_hex(d[k])) ++k;
    size_t z = q + 2;
    while (z < k && d[z] == '0') ++z;
    if (k > q + 2 && (k - z) <= 2) return k - q;
    // Hex form impossible; the decimal form "0" would be followed by 'x', which no continuation accepts.
    return 0;
  }
  size_t k = q;
  while (k < d.size() && is_ascii_digit(d[k])) ++k;
  if (k == q) return 0;
  size_t z = q;
  while (z + 1 < k && d[z] == '0') ++z;
  return (k - z) <= 3 ? k - q : 0;
}

bool ip_match_at(std::string_view d, size_t p, size_t& end) {
  if (p > 0 && (is_word(d[p - 1]) || d[p - 1] == '.' || d[p - 1] == '-')) return false;
  size_t q = p;
  for (int k = 0; k < 4; ++k) {
    size_t len = octet_length(d, q);
    if (!len) return false;
    q += len;
    if (k < 3) {
      if (q >= d.size() || d[q] != '.') return false;
      ++q;
    }
  }
  if (q < d.size() && (is_word(d[q]) || d[q] == '.' || d[q] == '=' || d[q] == '-')) return false;
  end = q;
  return true;
}

// re.match(rb"\s*>t(?::\w+)?<", data[start-1::-1]): the text before the IP ends with "<t>" or "<x:t>" and
// optional whitespace. For start == 0 Python's slice is the whole data reversed (data[-1::-1]).
bool xml_numbering_before(std::string_view d, size_t start) {
  long i = start == 0 ? static_cast<long>(d.size()) - 1 : static_cast<long>(start) - 1;
  auto at = [&](long k) { return k >= 0 ? d[static_cast<size_t>(k)] : '\0'; };
  while (i >= 0 && is_c_space(at(i))) --i;
  if (i < 1 || at(i) != '>' || at(i - 1) != 't') return false;
  i -= 2;
  if (i >= 0 && at(i) == ':') {
    long k = i - 1;
    while (k >= 0 && is_word(at(k))) --k;
    if (k < i - 1 && k >= 0 && at(k) == '<') return true;
  }
  return i >= 0 && at(i) == '<';
}

// re.match(rb"(?i)\s+(?:noit|[.])ces", reversed prefix): "sec." or "section" and whitespace before the IP.
bool section_number_before(std::string_view d, size_t start) {
  long i = start == 0 ? static_cast<long>(d.size()) - 1 : static_cast<long>(start) - 1;
  long j = i;
  while (j >= 0 && is_c_space(d[static_cast<size_t>(j)])) --j;
  if (j == i) return false;
  auto ends_at = [&](long e, std::string_view word) {  // d[e-len+1 .. e] equals word, case-insensitively
    long b = e - static_cast<long>(word.size()) + 1;
    return b >= 0 && pytext::iequals_ascii(d.substr(static_cast<size_t>(b), word.size()), word);
  };
  return ends_at(j, "section") || ends_at(j, "sec.");
}

// --------------------------------------------------------------- DOMAIN_RE
//   (?i)(?<![-$\w.\\])(?:[a-z0-9-]+\.)+(?:xn--[a-z0-9]{4,18}|[a-z]{2,12})(?![a-z1-9.(=_@-])
// A label cannot end before its '.', so the labels are fixed; backtracking only drops trailing labels (the
// TLD then starts at the following label) and shortens the TLD. The look-ahead rejects any following
// letter, so a letter TLD is the whole run of letters; an xn-- TLD may stop before a '0'.

bool label_char(char c) { return is_ascii_alnum(c) || c == '-'; }
bool domain_end_ok(std::string_view d, size_t e) {
  if (e >= d.size()) return true;
  char c = d[e];
  return !(is_ascii_alpha(c) || (c >= '1' && c <= '9') || c == '.' || c == '(' || c == '=' || c == '_' || c == '@' ||
           c == '-');
}

bool tld_at(std::string_view d, size_t q, size_t& end) {
  if (q + 4 <= d.size() && pytext::iequals_ascii(d.substr(q, 4), "xn--")) {
    size_t k = q + 4;
    while (k < d.size() && is_ascii_alnum(d[k]) && k - (q + 4) < 18) ++k;
    for (size_t n = k - (q + 4); n >= 4; --n)
      if (domain_end_ok(d, q + 4 + n)) {
        end = q + 4 + n;
        return true;
      }
  }
  size_t k = q;
  while (k < d.size() && is_ascii_alpha(d[k])) ++k;
  size_t r = k - q;
  if (r >= 2 && r <= 12 && domain_end_ok(d, k)) {
    end = k;
    return true;
  }
  return false;
}

bool domain_match_at(std::string_view d, size_t p, size_t& end) {
  if (p > 0) {
    char b = d[p - 1];
    if (b == '-' || b == '$' || is_word(b) || b == '.' || b == '\\') return false;
  }
  // Positions just after each label's dot.
  std::vector<size_t> after_dots;
  size_t q = p;
  while (true) {
    size_t k = q;
    while (k < d.size() && label_char(d[k])) ++k;
    if (k == q || k >= d.size() || d[k] != '.') break;
    after_dots.push_back(k + 1);
    q = k + 1;
  }
  for (size_t j = after_dots.size(); j > 0; --j)
    if (tld_at(d, after_dots[j - 1], end)) return true;
  return false;
}

// re.match(rb"(?ir)https?:[\x00\r\n\t]*//([\x00\r\n\ta-z0-9.-]+)", data, endpos=start): the domain is the end
// of a URL split by control characters. Returns the start of group 1.
std::optional<size_t> split_url_before(std::string_view d, size_t start) {
  auto g = [](char c) { return c == '\0' || c == '\r' || c == '\n' || c == '\t' || is_ascii_alnum(c) || c == '.' || c == '-'; };
  size_t b = start;
  while (b > 0 && g(d[b - 1])) --b;
  if (b == start || b < 2 || d[b - 1] != '/' || d[b - 2] != '/') return std::nullopt;
  size_t k = b - 2;
  while (k > 0 && (d[k - 1] == '\0' || d[k - 1] == '\r' || d[k - 1] == '\n' || d[k - 1] == '\t')) --k;
  if (k == 0 || d[k - 1] != ':') return std::nullopt;
  std::string_view before = d.substr(0, k - 1);
  auto ends_ci = [&](std::string_view w) {
    return before.size() >= w.size() && pytext::iequals_ascii(before.substr(before.size() - w.size()), w);
  };
  if (ends_ci("https") || ends_ci("http")) return b;
  return std::nullopt;
}

// re.match(rb"(?ir)(?:[%*=]\s?3A|:)\s?[%*=]\s?2F\s?[%*=]\s?2F", data, endpos=start + 2): an encoded "://"
// whose last "2F" is the start of the domain match.
bool encoded_scheme_before(std::string_view d, size_t endpos) {
  // Tokens from the right; each optional whitespace is tried with and without.
  enum Tok { k2F, kSym, kWs, kHead };
  static constexpr Tok kSeq[] = {k2F, kWs, kSym, kWs, k2F, kWs, kSym, kWs, kHead};
  auto sym = [](char c) { return c == '%' || c == '*' || c == '='; };
  auto pair_at = [&](long e, char a, char b) {  // d[e-1] d[e] == a b (case-insensitive)
    return e >= 1 && pytext::ascii_lower(d[static_cast<size_t>(e - 1)]) == pytext::ascii_lower(a) &&
           pytext::ascii_lower(d[static_cast<size_t>(e)]) == pytext::ascii_lower(b);
  };
  std::function<bool(size_t, long)> go = [&](size_t t, long e) -> bool {  // e: index of the next char to the left
    switch (kSeq[t]) {
      case k2F: return pair_at(e, '2', 'F') && go(t + 1, e - 2);
      case kSym: return e >= 0 && sym(d[static_cast<size_t>(e)]) && go(t + 1, e - 1);
      case kWs: return (e >= 0 && is_c_space(d[static_cast<size_t>(e)]) && go(t + 1, e - 1)) || go(t + 1, e);
      case kHead: {
        // (?:[%*=]\s?3A|:)
        if (pair_at(e, '3', 'A')) {
          long k = e - 2;
          if (k >= 0 && is_c_space(d[static_cast<size_t>(k)]) && k - 1 >= 0 && sym(d[static_cast<size_t>(k - 1)]))
            return true;
          if (k >= 0 && sym(d[static_cast<size_t>(k)])) return true;
        }
        return e >= 0 && d[static_cast<size_t>(e)] == ':';
      }
    }
    return false;
  };
  if (endpos > d.size()) return false;
  return go(0, static_cast<long>(endpos) - 1);
}

// ----------------------------------------------------------------- URL_RE

// multidecoder's URL_RE caps the host at 253 characters with counted repetitions ({3,252}, {2,251}, {1,250}).
// RE2 compiles a counted repetition into that many copies of the class, which made this one pattern cost more
// to compile than all the others together; the host is matched open-ended here (group 1) and cut at 253
// characters after the match. That is the same match: past the cap Python's optional port and path groups
// would have to start at a host character, which neither can, so its match ends exactly at the cap.
constexpr size_t kMaxUrlHost = 253;

const RE2& url_re() {
  static const RE2 re = [] {
    const std::string host_char = "[%A-Z0-9.\\-]";
    std::string pattern =
        "(?i)(?:t?ftp|https?|wss?|udp|socks(?:[0-9][a-z]?)?)://"
        "(?:[\\w!$-.:;=~@]*@)?"
        "(?:([A-Z0-9.\\-]" + host_char + "{3,}"
        "|%[%A-Z0-46-9.\\-]" + host_char + "{2,}"
        "|%5[%AC-Z0-9.\\-]" + host_char + "{1,}"
        ")|(?:\\[|%5B)[%0-9A-F:]{3,117}(?:\\]|%5D))"
        "(?::[0-6]?[0-9]{1,4})?"
        "(?:[/?#](?:[\\w!#-/:;=@?~]*[\\w!#-&(*+\\-/:=@?~])?)?";
    RE2::Options opts;
    opts.set_encoding(RE2::Options::EncodingLatin1);
    opts.set_log_errors(false);
    opts.set_max_mem(64 << 20);
    return RE2(pattern, opts);
  }();
  return re;
}

bool is_printable_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) return false;
  return true;
}

// _fix_whitespace: strip, drop \r \n \t, spaces become %20.
std::string fix_whitespace(std::string_view url) {
  size_t b = 0, e = url.size();
  while (b < e && is_c_space(url[b])) ++b;
  while (e > b && is_c_space(url[e - 1])) --e;
  std::string out;
  out.reserve(e - b);
  for (size_t i = b; i < e; ++i) {
    char c = url[i];
    if (c == '\r' || c == '\n' || c == '\t') continue;
    if (c == ' ') out += "%20";
    else out += c;
  }
  return out;
}

// normalize_percent_encoding: %XX of unreserved characters decoded, other escapes upper-cased.
std::string normalize_percent_encoding(std::string_view uri) {
  auto hexval = [](char c) {
    return is_ascii_digit(c) ? c - '0' : (pytext::ascii_lower(c) - 'a' + 10);
  };
  std::string out;
  out.reserve(uri.size());
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && is_hex(uri[i + 1]) && is_hex(uri[i + 2])) {
      char byte = static_cast<char>(hexval(uri[i + 1]) * 16 + hexval(uri[i + 2]));
      if (is_ascii_alnum(byte) || byte == '-' || byte == '.' || byte == '_' || byte == '~') {
        out += byte;
      } else {
        out += '%';
        out += pytext::ascii_upper(uri[i + 1]);
        out += pytext::ascii_upper(uri[i + 2]);
      }
      i += 2;
    } else {
      out += uri[i];
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> find_ips(std::string_view data) {
  std::vector<std::string> out;
  size_t p = 0;
  while (p < data.size()) {
    // Candidates start with a digit (both octet forms do).
    if (!is_ascii_digit(data[p])) {
      ++p;
      continue;
    }
    size_t end;
    if (!ip_match_at(data, p, end)) {
      ++p;
      continue;
    }
    const size_t start = p;
    p = end;
    auto ip = md_parse_ip(data.substr(start, end - start));
    if (!ip) continue;
    if (*ip == "0.0.0.0") continue;
    if (pytext::ends_with(*ip, ".0") || pytext::ends_with(*ip, ".255")) continue;  // network or broadcast
    size_t d1 = ip->find('.'), d2 = ip->find('.', d1 + 1);
    if (*ip != "127.0.0.1" && d2 - d1 - 1 == 1) continue;  // more likely a version number
    if (xml_numbering_before(data, start)) continue;
    if (section_number_before(data, start)) continue;
    // "ersion" within the 10 bytes before, separated only by NUL, '=', whitespace or '"': a version number.
    size_t lo = start >= 10 ? start - 10 : 0;
    std::string_view window = data.substr(lo, start - lo);
    size_t off = window.rfind("ersion");
    if (off != std::string_view::npos) {
      std::string_view between = window.substr(off + 6);
      bool only_sep = !between.empty();
      for (char c : between)
        if (!(c == '\0' || c == '=' || c == '"' || is_c_space(c))) only_sep = false;
      if (only_sep) continue;
    }
    out.push_back(std::move(*ip));
  }
  return out;
}

std::vector<std::string> find_domains(std::string_view data) {
  std::vector<std::string> out;
  size_t p = 0;
  while (p < data.size()) {
    if (!label_char(data[p])) {
      ++p;
      continue;
    }
    size_t end;
    if (!domain_match_at(data, p, end)) {
      ++p;
      continue;
    }
    size_t start = p;
    p = end;
    std::string domain(data.substr(start, end - start));
    const char prev = start ? data[start - 1] : '\0';
    const bool has_prev = start != 0;
    const bool has_next = end < data.size();
    const char next = has_next ? data[end] : '\0';

    if (has_prev && prev == '/' && (start < 2 || data[start - 2] != '/')) continue;  // a file name
    std::optional<size_t> split_start;
    if (has_prev && (prev == '\0' || prev == '\n' || prev == '\t' || prev == '\r'))
      split_start = split_url_before(data, start);
    if (split_start) {
      if (!(has_next && next == '/')) continue;  // the end of the split domain is unknown
      domain.clear();
      for (size_t k = *split_start; k < end; ++k) {
        char c = data[k];
        if (c != '\0' && c != '\r' && c != '\n' && c != '\t') domain += c;
      }
    } else if (encoded_scheme_before(data, start + 2) ||
               (start >= 1 && (data.substr(start - 1, 3) == "%40" || data.substr(start - 1, 3) == "=40"))) {
      domain.erase(0, 2);  // the domain match began inside "%2F" or "%40"
    } else if (start >= 1 && data.substr(start - 1, 5) == "%2540") {
      domain.erase(0, 4);
    }
    if (!md_is_domain(domain) || domain.size() < 7) continue;
    if (domain_is_false_positive(domain)) continue;
    out.push_back(std::move(domain));
  }
  return out;
}

std::vector<std::string> find_urls(std::string_view data) {
  std::vector<std::string> out;
  const RE2& re = url_re();
  const re2::StringPiece whole(data.data(), data.size());
  re2::StringPiece groups[2];  // the match, the host name (empty for a bracketed IPv6 host)
  size_t pos = 0;
  while (pos < data.size() && re.Match(whole, pos, data.size(), RE2::UNANCHORED, groups, 2)) {
    re2::StringPiece m = groups[0];
    if (groups[1].size() > kMaxUrlHost)  // the cap of URL_RE (see url_re)
      m = re2::StringPiece(m.data(), static_cast<size_t>(groups[1].data() - m.data()) + kMaxUrlHost);
    const size_t start = static_cast<size_t>(m.data() - data.data());
    const size_t end = start + m.size();
    pos = end > start ? end : end + 1;
    std::string_view group(m.data(), m.size());
    // Python's data[start - 1] is the last byte when start == 0, but that case is skipped first.
    const auto prev = static_cast<unsigned char>(start ? data[start - 1] : data.back());
    const bool has_next = end + 1 < data.size();
    const auto next_chr = has_next ? static_cast<unsigned char>(data[end + 1]) : 0;
    std::string extended;
    if (start == 0) {
      // no context
    } else if (prev < group.size() && group[prev] == '0' &&
               !is_printable_ascii(py_slice(data, static_cast<long>(start) - 10, static_cast<long>(start)))) {
      group = group.substr(0, prev);  // a Pascal string in a PE file: the length byte precedes the URL
    } else if (prev == '\'' || prev == '(') {
      size_t close = group.find(prev == '\'' ? '\'' : ')');
      if (close != std::string_view::npos) group = group.substr(0, close);
    } else if (next_chr && prev == '"' && prev != next_chr) {
      // Inside a quoted string: extend to the closing quote over letters, digits, whitespace, '.' and '/'.
      size_t k = end;
      while (k < data.size() && (is_ascii_alnum(data[k]) || is_c_space(data[k]) || data[k] == '.' || data[k] == '/')) ++k;
      if (k > end && k < data.size() && data[k] == '"') group = data.substr(start, k - start);
    }
    if (!md_is_url(group)) continue;
    out.push_back(normalize_percent_encoding(fix_whitespace(group)));
  }
  return out;
}

}  // namespace alcape::analysis
