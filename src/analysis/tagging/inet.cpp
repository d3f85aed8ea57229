#include "analysis/tagging/inet.hpp"

#include "analysis/tagging/py_text.hpp"

#include <vector>

namespace alcape::analysis::inet {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// strtoul(s + i, &end, 0) for text that starts with a digit: returns false on overflow beyond 32 bits.
bool c_strtoul(std::string_view s, size_t& i, uint64_t& value) {
  value = 0;
  int base = 10;
  if (s[i] == '0') {
    base = 8;
    // "0x" counts as a hex prefix only when a hex digit follows (else strtoul reads just the "0").
    if (i + 2 < s.size() && (s[i + 1] == 'x' || s[i + 1] == 'X') && hex_value(s[i + 2]) >= 0) {
      base = 16;
      i += 2;
    }
  }
  bool overflow = false;
  for (; i < s.size(); ++i) {
    int d = hex_value(s[i]);
    if (d < 0 || d >= base) break;
    if (!overflow) {
      value = value * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
      if (value > 0xFFFFFFFFull) overflow = true;
    }
  }
  return !overflow;
}

}  // namespace

std::optional<uint32_t> inet_aton(std::string_view s) {
  // glibc inet_aton_end: numbers as in C (0x hex, 0 octal), "a", "a.b", "a.b.c" or "a.b.c.d"; after the last
  // number either the end or an ASCII whitespace character (anything may follow it).
  if (s.find('\0') != std::string_view::npos) return std::nullopt;  // Python: embedded null character
  static constexpr uint32_t kMax[4] = {0xFFFFFFFFu, 0xFFFFFFu, 0xFFFFu, 0xFFu};
  uint32_t parts[3] = {0, 0, 0};
  size_t nparts = 0;
  size_t i = 0;
  uint64_t val = 0;
  while (true) {
    if (i >= s.size() || !pytext::is_ascii_digit(s[i])) return std::nullopt;
    if (!c_strtoul(s, i, val)) return std::nullopt;
    if (i < s.size() && s[i] == '.') {
      if (nparts > 2 || val > 0xFF) return std::nullopt;
      parts[nparts++] = static_cast<uint32_t>(val);
      ++i;
      continue;
    }
    break;
  }
  if (i < s.size() && !pytext::is_c_space(s[i])) return std::nullopt;
  if (val > kMax[nparts]) return std::nullopt;
  uint32_t word = static_cast<uint32_t>(val);
  for (size_t k = 0; k < nparts; ++k) word |= parts[k] << (24 - 8 * k);
  return word;
}

std::string ipv4_to_string(uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xFF) + "." + std::to_string((a >> 8) & 0xFF) +
         "." + std::to_string(a & 0xFF);
}

namespace {

bool pton4(std::string_view s, uint8_t* dst) {
  bool saw_digit = false;
  int octets = 0;
  uint8_t tmp[4] = {0, 0, 0, 0};
  uint8_t* tp = tmp;
  for (char ch : s) {
    if (ch >= '0' && ch <= '9') {
      unsigned v = *tp * 10u + static_cast<unsigned>(ch - '0');
      if (saw_digit && *tp == 0) return false;
      if (v > 255) return false;
      *tp = static_cast<uint8_t>(v);
      if (!saw_digit) {
        if (++octets > 4) return false;
        saw_digit = true;
      }
    } else if (ch == '.' && saw_digit) {
      if (octets == 4) return false;
      *++tp = 0;
      saw_digit = false;
    } else {
      return false;
    }
  }
  if (octets < 4) return false;
  for (int k = 0; k < 4; ++k) dst[k] = tmp[k];
  return true;
}

}  // namespace

std::optional<std::array<uint8_t, 16>> inet_pton6(std::string_view s) {
  // glibc inet_pton6.
  std::array<uint8_t, 16> tmp{};
  size_t tp = 0;
  std::optional<size_t> colonp;
  size_t i = 0;
  if (s.empty()) return std::nullopt;
  if (s[0] == ':') {
    ++i;
    if (i >= s.size() || s[i] != ':') return std::nullopt;
  }
  size_t curtok = i;
  size_t xdigits = 0;
  unsigned val = 0;
  while (i < s.size()) {
    char ch = s[i++];
    int d = hex_value(ch);
    if (d >= 0) {
      if (xdigits == 4) return std::nullopt;
      val = (val << 4) | static_cast<unsigned>(d);
      ++xdigits;
      continue;
    }
    if (ch == ':') {
      curtok = i;
      if (xdigits == 0) {
        if (colonp) return std::nullopt;
        colonp = tp;
        continue;
      }
      if (i == s.size()) return std::nullopt;
      if (tp + 2 > 16) return std::nullopt;
      tmp[tp++] = static_cast<uint8_t>(val >> 8);
      tmp[tp++] = static_cast<uint8_t>(val);
      xdigits = 0;
      val = 0;
      continue;
    }
    if (ch == '.' && tp + 4 <= 16 && pton4(s.substr(curtok), tmp.data() + tp)) {
      tp += 4;
      xdigits = 0;
      break;
    }
    return std::nullopt;
  }
  if (xdigits > 0) {
    if (tp + 2 > 16) return std::nullopt;
    tmp[tp++] = static_cast<uint8_t>(val >> 8);
    tmp[tp++] = static_cast<uint8_t>(val);
  }
  if (colonp) {
    if (tp == 16) return std::nullopt;
    size_t n = tp - *colonp;
    std::array<uint8_t, 16> out{};
    for (size_t k = 0; k < *colonp; ++k) out[k] = tmp[k];
    for (size_t k = 0; k < n; ++k) out[16 - n + k] = tmp[*colonp + k];
    return out;
  }
  if (tp != 16) return std::nullopt;
  return tmp;
}

bool python_ipv4_valid(std::string_view s) {
  size_t count = 0, start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view octet = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (++count > 4 || octet.empty() || octet.size() > 3) return false;
    for (char c : octet)
      if (!pytext::is_ascii_digit(c)) return false;
    if (octet.size() > 1 && octet[0] == '0') return false;
    if (std::stoi(std::string(octet)) > 255) return false;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return count == 4;
}

bool python_ipv6_valid(std::string_view text) {
  // ipaddress.IPv6Address: optional %scope (non-empty, without another '%'), then hextets split on ':'.
  std::string_view s = text;
  size_t pct = s.find('%');
  if (pct != std::string_view::npos) {
    std::string_view scope = s.substr(pct + 1);
    if (scope.empty() || scope.find('%') != std::string_view::npos) return false;
    s = s.substr(0, pct);
  }
  if (s.empty()) return false;
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t c = s.find(':', start);
    parts.push_back(s.substr(start, c == std::string_view::npos ? std::string_view::npos : c - start));
    if (c == std::string_view::npos) break;
    start = c + 1;
  }
  if (parts.size() < 3) return false;
  if (parts.back().find('.') != std::string_view::npos) {
    if (!python_ipv4_valid(parts.back())) return false;
    parts.back() = "0";
    parts.push_back("0");
  }
  if (parts.size() > 9) return false;
  std::optional<size_t> skip;
  for (size_t k = 1; k + 1 < parts.size(); ++k) {
    if (parts[k].empty()) {
      if (skip) return false;
      skip = k;
    }
  }
  size_t lo = 0, hi = parts.size();
  if (skip) {
    size_t parts_hi = *skip, parts_lo = parts.size() - *skip - 1;
    if (parts[0].empty() && --parts_hi) return false;
    if (parts.back().empty() && --parts_lo) return false;
    if (8 - static_cast<int>(parts_hi + parts_lo) < 1) return false;
    for (size_t k = 0; k < parts_hi; ++k)
      if (parts[k].empty()) return false;
    lo = parts_hi;
    hi = parts.size() - parts_lo;
    // Parts between lo and hi are the skipped '::' (and empty endpoints); the others are checked below.
    for (size_t k = 0; k < parts.size(); ++k) {
      if (k >= lo && k < hi) continue;
      std::string_view h = parts[k];
      if (h.empty() || h.size() > 4) return false;
      for (char c : h)
        if (hex_value(c) < 0) return false;
    }
    return true;
  }
  if (parts.size() != 8 || parts[0].empty() || parts.back().empty()) return false;
  for (std::string_view h : parts) {
    if (h.empty() || h.size() > 4) return false;
    for (char c : h)
      if (hex_value(c) < 0) return false;
  }
  return true;
}

}  // namespace alcape::analysis::inet
