#include "analysis/tagging/py_text.hpp"

#include "core/utf8.hpp"
#include <limits>

namespace alcape::analysis::pytext {

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_upper(c);
  return out;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

char32_t next_code_point(std::string_view s, size_t i, size_t& len) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  auto cont = [&](size_t k) { return k < s.size() && (b(k) & 0xC0) == 0x80; };
  unsigned char c = b(i);
  len = 1;
  if (c < 0x80) return c;
  if (c >= 0xC2 && c <= 0xDF && cont(i + 1)) {
    len = 2;
    return ((c & 0x1F) << 6) | (b(i + 1) & 0x3F);
  }
  if (c >= 0xE0 && c <= 0xEF && cont(i + 1) && cont(i + 2)) {
    char32_t cp = ((c & 0x0F) << 12) | ((b(i + 1) & 0x3F) << 6) | (b(i + 2) & 0x3F);
    if (cp >= 0x800) {
      len = 3;
      return cp;
    }
  }
  if (c >= 0xF0 && c <= 0xF4 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
    char32_t cp = ((c & 0x07) << 18) | ((b(i + 1) & 0x3F) << 12) | ((b(i + 2) & 0x3F) << 6) | (b(i + 3) & 0x3F);
    if (cp >= 0x10000 && cp <= 0x10FFFF) {
      len = 4;
      return cp;
    }
  }
  return 0xDC00 + c;
}

void append_utf8(std::string& out, char32_t cp) { utf8::append(out, cp); }

bool py_isspace(char32_t cp) {
  if (cp <= 0x20) return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
  switch (cp) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

std::string_view py_strip(std::string_view s) {
  size_t begin = std::string_view::npos, end = 0;
  for (size_t i = 0, len = 0; i < s.size(); i += len) {
    if (py_isspace(next_code_point(s, i, len))) continue;
    if (begin == std::string_view::npos) begin = i;
    end = i + len;
  }
  return begin == std::string_view::npos ? std::string_view() : s.substr(begin, end - begin);
}

std::optional<int64_t> py_int(std::string_view text) {
  std::string_view s = py_strip(text);
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (i >= s.size() || !is_ascii_digit(s[i])) return std::nullopt;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 10 - 10;
  int64_t value = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      if (i + 1 >= s.size() || !is_ascii_digit(s[i + 1])) return std::nullopt;
      continue;
    }
    if (!is_ascii_digit(c)) return std::nullopt;
    if (value < kMax) value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

std::string quote_plus(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (is_ascii_alnum(ch) || ch == '_' || ch == '.' || ch == '-' || ch == '~') {
      out += ch;
    } else if (ch == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace alcape::analysis::pytext
