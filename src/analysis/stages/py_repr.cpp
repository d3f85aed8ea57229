#include "analysis/stages/py_repr.hpp"

#include "json/pydump.hpp"

#include <cmath>
#include <cstdio>

namespace alcape::analysis {
namespace {

// Decodes one UTF-8 sequence; malformed bytes come back as themselves (the reader already repaired the text).
unsigned next_code_point(std::string_view s, size_t& i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  size_t len = b0 < 0x80 ? 1 : (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : (b0 & 0xF8) == 0xF0 ? 4 : 1;
  if (len == 1 || i + len > s.size()) {
    ++i;
    return b0;
  }
  unsigned cp = len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (size_t k = 1; k < len; ++k) {
    auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return b0;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += len;
  return cp;
}

// str.isprintable() for the characters that realistically occur; other code points count as printable.
bool printable(unsigned cp) {
  if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0xa0) || cp == 0xad) return false;
  if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202f)) return false;
  if ((cp >= 0x205f && cp <= 0x2064) || cp == 0x3000 || cp == 0xfeff) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  if ((cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000) return false;  // private use
  return true;
}

}  // namespace

std::string py_repr_string(std::string_view s) {
  bool has_single = s.find('\'') != std::string_view::npos;
  bool has_double = s.find('"') != std::string_view::npos;
  char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    unsigned cp = next_code_point(s, i);
    char buf[16];
    if (cp == static_cast<unsigned char>(quote) || cp == '\\') {
      out += '\\';
      out += static_cast<char>(cp);
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (printable(cp)) {
      out.append(s.substr(start, i - start));
    } else {
      if (cp <= 0xff) std::snprintf(buf, sizeof buf, "\\x%02x", cp);
      else if (cp <= 0xffff) std::snprintf(buf, sizeof buf, "\\u%04x", cp);
      else std::snprintf(buf, sizeof buf, "\\U%08x", cp);
      out += buf;
    }
  }
  out += quote;
  return out;
}

std::string py_repr(const json::Value& v) {
  switch (v.type()) {
    case json::Value::value_t::null: return "None";
    case json::Value::value_t::boolean: return v.get<bool>() ? "True" : "False";
    case json::Value::value_t::number_integer: return std::to_string(v.get<int64_t>());
    case json::Value::value_t::number_unsigned: return std::to_string(v.get<uint64_t>());
    case json::Value::value_t::number_float: {
      double d = v.get<double>();
      if (std::isnan(d)) return "nan";
      if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
      return json::py_float_repr(d);
    }
    case json::Value::value_t::string: return py_repr_string(v.get_ref<const std::string&>());
    case json::Value::value_t::array: {
      std::string out = "[";
      bool first = true;
      for (const auto& e : v) {
        if (!first) out += ", ";
        first = false;
        out += py_repr(e);
      }
      return out + "]";
    }
    case json::Value::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        out += py_repr_string(it.key()) + ": " + py_repr(it.value());
      }
      return out + "}";
    }
    default: return "None";
  }
}

std::string py_str(const json::Value& v) {
  if (v.is_string()) return v.get<std::string>();
  return py_repr(v);
}

}  // namespace alcape::analysis
