// Assemblyline's value checks (assemblyline/common/net.py is_valid_domain / is_valid_ip) and the FULL_URI /
// URI_PATH matches, as declared in tag_helper.hpp.
#include "analysis/tagging/al_regex.hpp"
#include "analysis/tagging/py_text.hpp"
#include "analysis/tagging/tag_helper.hpp"
#include "data/embedded.hpp"

#include <re2/re2.h>

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace alcape::analysis {

namespace {

std::vector<std::string> data_lines(std::string_view name) {
  std::vector<std::string> out;
  std::string_view text = data::file(name);
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    start = nl == std::string_view::npos ? text.size() : nl + 1;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (line.empty() || line[0] == '#') continue;
    out.emplace_back(line);
  }
  return out;
}

// RFC 3492 punycode decoding of the part after "xn--" (lower case), to UTF-8; empty on malformed input.
std::string punycode_decode(std::string_view in) {
  constexpr uint32_t base = 36, tmin = 1, tmax = 26, skew = 38, damp = 700;
  std::u32string out;
  size_t b = in.rfind('-');
  size_t pos = 0;
  if (b != std::string_view::npos) {
    for (size_t k = 0; k < b; ++k) out += static_cast<char32_t>(in[k]);
    pos = b + 1;
  }
  uint32_t n = 128, i = 0, bias = 72;
  auto adapt = [&](uint32_t delta, uint32_t numpoints, bool first) {
    delta = first ? delta / damp : delta / 2;
    delta += delta / numpoints;
    uint32_t k = 0;
    while (delta > ((base - tmin) * tmax) / 2) {
      delta /= base - tmin;
      k += base;
    }
    return k + (base - tmin + 1) * delta / (delta + skew);
  };
  while (pos < in.size()) {
    uint32_t oldi = i, w = 1;
    for (uint32_t k = base;; k += base) {
      if (pos >= in.size()) return {};
      char c = in[pos++];
      uint32_t digit = (c >= 'a' && c <= 'z') ? static_cast<uint32_t>(c - 'a')
                       : (c >= '0' && c <= '9') ? static_cast<uint32_t>(c - '0' + 26)
                                                : base;
      if (digit >= base) return {};
      i += digit * w;
      uint32_t t = k <= bias ? tmin : (k >= bias + tmax ? tmax : k - bias);
      if (digit < t) break;
      w *= base - t;
    }
    auto size = static_cast<uint32_t>(out.size() + 1);
    bias = adapt(i - oldi, size, oldi == 0);
    n += i / size;
    i %= size;
    out.insert(out.begin() + i, static_cast<char32_t>(n));
    ++i;
  }
  std::string utf8;
  for (char32_t cp : out) pytext::append_utf8(utf8, cp);
  return utf8;
}

struct TldTables {
  std::unordered_set<std::string> tlds;  // IANA list + single-label special-use names, upper case
  std::vector<std::string> special;      // special-use names, matched as suffixes of the upper-cased domain
  std::unique_ptr<RE2> idn;              // the IANA internationalised TLDs in Unicode, case-insensitive
};

const TldTables& tld_tables() {
  static const TldTables t = [] {
    TldTables tt;
    std::string idn_pattern;
    for (auto& tld : data_lines("tlds.txt")) {
      if (pytext::starts_with(tld, "XN--")) {
        std::string u = punycode_decode(pytext::ascii_lower(tld.substr(4)));
        if (!u.empty()) idn_pattern += (idn_pattern.empty() ? "" : "|") + RE2::QuoteMeta(u);
      }
      tt.tlds.insert(std::move(tld));
    }
    for (auto& s : data_lines("tlds_special.txt")) {
      if (s.find('.') == std::string::npos) tt.tlds.insert(s);
      tt.special.push_back(std::move(s));
    }
    // SYSTEM_LOCAL_TLD (an environment variable of the AL host) is not read: the analysis takes no outside input.
    RE2::Options opts;
    opts.set_case_sensitive(false);
    opts.set_log_errors(false);
    tt.idn = std::make_unique<RE2>("(?:" + idn_pattern + ")", opts);
    return tt;
  }();
  return t;
}

bool unicode_alnum_or_dash(std::string_view label) {
  static const RE2 re("[\\p{L}\\p{N}-]+");
  return RE2::FullMatch(re2::StringPiece(label.data(), label.size()), re);
}

// Python's str.upper() for the few non-ASCII letters whose upper case is ASCII, and IDNA's NFKC mapping of
// full-width ASCII and the Kelvin sign; other non-ASCII characters are kept (then the IDN list decides).
std::string upper_tld(std::string_view label) {
  std::string out;
  for (size_t i = 0, len = 0; i < label.size(); i += len) {
    char32_t cp = pytext::next_code_point(label, i, len);
    if (cp < 0x80) out += pytext::ascii_upper(static_cast<char>(cp));
    else if (cp == 0xDF) out += "SS";                    // sharp s
    else if (cp == 0x131) out += 'I';                    // dotless i
    else if (cp == 0x17F) out += 'S';                    // long s
    else if (cp == 0x212A) out += 'K';                   // Kelvin sign
    else if (cp == 0xFB00) out += "FF";
    else if (cp == 0xFB01) out += "FI";
    else if (cp == 0xFB02) out += "FL";
    else if (cp == 0xFB03) out += "FFI";
    else if (cp == 0xFB04) out += "FFL";
    else if (cp == 0xFB05 || cp == 0xFB06) out += "ST";
    else if (cp >= 0xFF01 && cp <= 0xFF5E) out += pytext::ascii_upper(static_cast<char>(cp - 0xFF01 + 0x21));
    else out.append(label.substr(i, len));
  }
  return out;
}

}  // namespace

bool is_valid_domain(std::string_view domain) {
  if (domain.empty() || domain.find('@') != std::string_view::npos) return false;
  size_t count = 0;
  std::string_view last;
  for (size_t start = 0;;) {
    size_t dot = domain.find('.', start);
    std::string_view label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    if (pytext::is_ascii(label)) {
      for (char c : label)
        if (!pytext::is_ascii_alnum(c) && c != '-') return false;
    } else if (!unicode_alnum_or_dash(label)) {
      return false;
    }
    ++count;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (count < 2) return false;
  const TldTables& t = tld_tables();
  std::string tld = upper_tld(last);
  if (!pytext::is_ascii(tld)) return RE2::FullMatch(re2::StringPiece(tld.data(), tld.size()), *t.idn);
  if (t.tlds.count(tld)) return true;
  std::string upper = pytext::ascii_upper(domain);
  for (const auto& s : t.special)
    if (pytext::ends_with(upper, s)) return true;
  return false;
}

bool is_valid_ip(std::string_view ip) {
  int64_t parts[4];
  size_t n = 0, start = 0;
  while (true) {
    size_t dot = ip.find('.', start);
    if (n == 4) return false;
    auto v = pytext::py_int(ip.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (!v || *v < 0 || *v > 255) return false;
    parts[n++] = *v;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return n == 4 && parts[0] != 0 && parts[3] != 0;
}

bool matches_full_uri(std::string_view uri) { return al_regex(AlRegex::FULL_URI).matches(uri); }

bool matches_uri_path(std::string_view path) { return al_regex(AlRegex::URI_PATH).matches(path); }

}  // namespace alcape::analysis
