#include "analysis/stages/pystr.hpp"

#include "core/utf8.hpp"
#include "json/pydump.hpp"

#include <clocale>
#include <cmath>
#include <cwctype>
#include <locale.h>
#include <vector>

namespace alcape::analysis::py {

namespace {

// Decodes valid UTF-8 (the report reader repairs invalid input); a stray byte is taken as its own code point.
std::vector<char32_t> decode(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + n > s.size()) n = 1;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

void encode(char32_t cp, std::string& out) { utf8::append(out, cp); }

bool is_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// glibc's C.UTF-8 locale carries the Unicode simple case mappings; used without touching the global locale.
locale_t utf8_locale() {
  static locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  return loc;
}

char32_t simple_lower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  locale_t loc = utf8_locale();
  return loc ? static_cast<char32_t>(towlower_l(static_cast<wint_t>(c), loc)) : c;
}

char32_t simple_upper(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
  locale_t loc = utf8_locale();
  return loc ? static_cast<char32_t>(towupper_l(static_cast<wint_t>(c), loc)) : c;
}

bool is_cased(char32_t c) { return simple_lower(c) != c || simple_upper(c) != c; }

// An approximation of Unicode's Case_Ignorable (enough for the final-sigma rule on real text).
bool is_case_ignorable(char32_t c) {
  return c == '\'' || c == '.' || c == ':' || c == '^' || c == '`' || c == 0xB7 || c == 0x2019 ||
         (c >= 0x300 && c <= 0x36F);
}

// Python's handle_capital_sigma: U+03A3 lowers to final sigma after a cased letter and not before one.
char32_t lower_sigma(const std::vector<char32_t>& cps, size_t i) {
  size_t j = i;
  char32_t c = 0;
  bool found = false;
  while (j > 0) {
    c = cps[--j];
    if (!is_case_ignorable(c)) {
      found = true;
      break;
    }
  }
  bool final_sigma = found && is_cased(c);
  if (final_sigma && i + 1 < cps.size()) {
    size_t k = i + 1;
    for (; k < cps.size(); ++k) {
      c = cps[k];
      if (!is_case_ignorable(c)) break;
    }
    final_sigma = k == cps.size() || !is_cased(c);
  }
  return final_sigma ? 0x3C2 : 0x3C3;
}

void append_lower(const std::vector<char32_t>& cps, size_t i, std::string& out) {
  char32_t c = cps[i];
  if (c == 0x130) {  // full mapping: i + combining dot above
    out += 'i';
    encode(0x307, out);
  } else if (c == 0x3A3) {
    encode(lower_sigma(cps, i), out);
  } else {
    encode(simple_lower(c), out);
  }
}

// Title case of one code point where it differs from the simple upper case.
void append_title(char32_t c, std::string& out) {
  if (c == 0xDF) {
    out += "Ss";
  } else if (c >= 0x1C4 && c <= 0x1C6) {
    encode(0x1C5, out);
  } else if (c >= 0x1C7 && c <= 0x1C9) {
    encode(0x1C8, out);
  } else if (c >= 0x1CA && c <= 0x1CC) {
    encode(0x1CB, out);
  } else if (c >= 0x1F1 && c <= 0x1F3) {
    encode(0x1F2, out);
  } else if ((c >= 0x10D0 && c <= 0x10FA) || (c >= 0x10FD && c <= 0x10FF)) {
    encode(c, out);  // Georgian letters are their own title case
  } else {
    encode(simple_upper(c), out);
  }
}

bool is_space(char32_t c) {
  return (c >= 0x9 && c <= 0xD) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

bool int_from_double(double d, int64_t& out) {
  if (!std::isfinite(d)) return false;
  double t = std::trunc(d);
  if (t < -9.2233720368547758e18 || t >= 9.2233720368547758e18) return false;
  out = static_cast<int64_t>(t);
  return true;
}

}  // namespace

std::string lower(std::string_view s) {
  if (is_ascii(s)) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return out;
  }
  auto cps = decode(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < cps.size(); ++i) append_lower(cps, i, out);
  return out;
}

std::string capitalize(std::string_view s) {
  auto cps = decode(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < cps.size(); ++i) {
    if (i == 0) {
      append_title(cps[0], out);
    } else {
      append_lower(cps, i, out);
    }
  }
  return out;
}

std::string_view strip(std::string_view s) {
  // Byte offsets of the first and last non-space code points (a stray byte counts as one code point).
  size_t begin = s.size(), end = 0;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + n > s.size()) n = 1;
    auto cps = decode(s.substr(i, n));
    if (cps.size() != 1 || !is_space(cps[0])) {
      if (begin == s.size()) begin = i;
      end = i + n;
    }
    i += n;
  }
  if (begin == s.size()) return s.substr(0, 0);
  return s.substr(begin, end - begin);
}

size_t length(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::optional<int64_t> to_int(std::string_view s) {
  s = strip(s);
  if (s.empty()) return std::nullopt;
  bool neg = false;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s.front() == '_' || s.back() == '_') return std::nullopt;
  unsigned __int128 v = 0;
  char prev = 0;
  for (char c : s) {
    if (c == '_') {
      if (prev == '_') return std::nullopt;
    } else if (c >= '0' && c <= '9') {
      v = v * 10 + static_cast<unsigned>(c - '0');
      if (v > static_cast<unsigned __int128>(INT64_MAX) + 1) return std::nullopt;
    } else {
      return std::nullopt;
    }
    prev = c;
  }
  if (!neg && v > static_cast<unsigned __int128>(INT64_MAX)) return std::nullopt;
  return neg ? static_cast<int64_t>(-static_cast<__int128>(v)) : static_cast<int64_t>(v);
}

std::optional<int64_t> to_int(const json::Value& v) {
  switch (v.type()) {
    case json::Value::value_t::number_integer: return v.get<int64_t>();
    case json::Value::value_t::number_unsigned: {
      auto u = v.get<uint64_t>();
      if (u > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
      return static_cast<int64_t>(u);
    }
    case json::Value::value_t::number_float: {
      int64_t out = 0;
      if (!int_from_double(v.get<double>(), out)) return std::nullopt;
      return out;
    }
    case json::Value::value_t::boolean: return v.get<bool>() ? 1 : 0;
    case json::Value::value_t::string: return to_int(std::string_view(v.get_ref<const std::string&>()));
    default: return std::nullopt;
  }
}

bool equal(const json::Value& a, const json::Value& b) {
  auto numeric = [](const json::Value& v) { return v.is_number() || v.is_boolean(); };
  if (numeric(a) && numeric(b)) {
    auto as_double = [](const json::Value& v) {
      return v.is_boolean() ? (v.get<bool>() ? 1.0 : 0.0) : v.get<double>();
    };
    if ((a.is_number_integer() || a.is_boolean()) && (b.is_number_integer() || b.is_boolean())) {
      auto ai = to_int(a), bi = to_int(b);
      if (ai && bi) return *ai == *bi;
    }
    return as_double(a) == as_double(b);
  }
  if (a.type() != b.type()) return false;
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto other = b.find(it.key());
      if (other == b.end() || !equal(it.value(), *other)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!equal(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

}  // namespace alcape::analysis::py
