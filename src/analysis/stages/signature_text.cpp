#include "analysis/stages/signature_text.hpp"

#include "json/pydump.hpp"
#include "result/section.hpp"

#include <cstdint>
#include <cstdio>

namespace alcape::analysis {

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Decodes the code point starting at s[i] (valid UTF-8 assumed; a stray byte is returned as is).
char32_t decode(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  if (i + len > s.size()) len = 1;
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

void encode(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Non-ASCII code points that Python's str.isprintable() rejects (controls, format characters, separators other
// than the space, surrogates, private use): the common ones.
bool is_unprintable(char32_t cp) {
  return (cp >= 0x80 && cp <= 0xA0) || cp == 0xAD || cp == 0x61C || cp == 0x1680 || cp == 0x180E ||
         (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x2064) ||
         (cp >= 0x2066 && cp <= 0x206F) || cp == 0x3000 || (cp >= 0xD800 && cp <= 0xF8FF) || cp == 0xFEFF ||
         (cp >= 0xFFF9 && cp <= 0xFFFB) || cp == 0xFFFE || cp == 0xFFFF || cp >= 0xF0000;
}

// repr() of a Python str.
void append_repr(std::string& out, std::string_view s) {
  const bool has_single = s.find('\'') != std::string_view::npos;
  const bool has_double = s.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  out += quote;
  size_t i = 0;
  while (i < s.size()) {
    char32_t cp = decode(s, i);
    char buf[16];
    if (cp == static_cast<char32_t>(quote) || cp == U'\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == U'\t') {
      out += "\\t";
    } else if (cp == U'\n') {
      out += "\\n";
    } else if (cp == U'\r') {
      out += "\\r";
    } else if (cp < 0x20 || cp == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
      out += buf;
    } else if (cp < 0x80 || !is_unprintable(cp)) {
      encode(out, cp);
    } else {
      if (cp <= 0xFF) std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
      else if (cp <= 0xFFFF) std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      else std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(cp));
      out += buf;
    }
  }
  out += quote;
}

void append_py(std::string& out, const json::Value& v, bool nested) {
  switch (v.type()) {
    case json::Value::value_t::null: out += "None"; break;
    case json::Value::value_t::boolean: out += v.get<bool>() ? "True" : "False"; break;
    case json::Value::value_t::number_integer: out += std::to_string(v.get<int64_t>()); break;
    case json::Value::value_t::number_unsigned: out += std::to_string(v.get<uint64_t>()); break;
    case json::Value::value_t::number_float: out += json::py_float_repr(v.get<double>()); break;
    case json::Value::value_t::string:
      if (nested) append_repr(out, v.get_ref<const std::string&>());
      else out += v.get_ref<const std::string&>();
      break;
    case json::Value::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& item : v) {
        if (!first) out += ", ";
        first = false;
        append_py(out, item, true);
      }
      out += ']';
      break;
    }
    case json::Value::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        append_repr(out, it.key());
        out += ": ";
        append_py(out, it.value(), true);
      }
      out += '}';
      break;
    }
    default: break;
  }
}

char32_t lower_cp(char32_t cp) {
  if (cp >= U'A' && cp <= U'Z') return cp + 32;
  if (cp < 0xC0) return cp;
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
      (cp >= 0x410 && cp <= 0x42F))
    return cp + 32;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 80;
  if (cp == 0x130) return cp;  // İ lowers to two code points in Python: left alone
  if (((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) && cp % 2 == 0) return cp + 1;
  if (((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) && cp % 2 == 1) return cp + 1;
  if (cp == 0x178) return 0xFF;
  return cp;
}

}  // namespace

size_t codepoint_count(std::string_view utf8) {
  size_t n = 0;
  for (char c : utf8)
    if (!is_continuation(static_cast<unsigned char>(c))) ++n;
  return n;
}

std::string py_truncate(std::string_view s, size_t length) {
  std::string safe = result::safe_str(s);
  if (codepoint_count(safe) <= length) return safe;
  size_t i = 0, kept = 0;
  while (i < safe.size() && kept < length) {
    decode(safe, i);
    ++kept;
  }
  return safe.substr(0, i) + "...";
}

std::string py_lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    char32_t cp = decode(s, i);
    char32_t low = lower_cp(cp);
    if (low == cp) out.append(s.substr(start, i - start));
    else encode(out, low);
  }
  return out;
}

}  // namespace alcape::analysis
