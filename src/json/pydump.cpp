#include "json/pydump.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace alcape::json {
namespace {

void append_u_escape(std::string& out, unsigned cp) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", cp);
  out += buf;
}

// Decodes one UTF-8 sequence at s[i]; on malformed input returns the byte itself (Latin-1 fallback) so that
// output stays deterministic. Input is normally valid UTF-8: the report reader validates it.
unsigned decode_utf8(std::string_view s, size_t& i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  auto cont = [&](size_t k) -> int {
    if (i + k >= s.size()) return -1;
    auto b = static_cast<unsigned char>(s[i + k]);
    return (b & 0xC0) == 0x80 ? (b & 0x3F) : -1;
  };
  if (b0 < 0x80) { i += 1; return b0; }
  if ((b0 & 0xE0) == 0xC0) {
    int c1 = cont(1);
    if (c1 >= 0) { i += 2; return ((b0 & 0x1F) << 6) | c1; }
  } else if ((b0 & 0xF0) == 0xE0) {
    int c1 = cont(1), c2 = cont(2);
    if (c1 >= 0 && c2 >= 0) { i += 3; return ((b0 & 0x0F) << 12) | (c1 << 6) | c2; }
  } else if ((b0 & 0xF8) == 0xF0) {
    int c1 = cont(1), c2 = cont(2), c3 = cont(3);
    if (c1 >= 0 && c2 >= 0 && c3 >= 0) { i += 4; return ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3; }
  }
  i += 1;
  return b0;
}

void dump(std::string& out, const Value& v, int indent, int level);

void newline(std::string& out, int indent, int level) {
  out += '\n';
  out.append(static_cast<size_t>(indent * level), ' ');
}

void dump(std::string& out, const Value& v, int indent, int level) {
  switch (v.type()) {
    case Value::value_t::null: out += "null"; return;
    case Value::value_t::boolean: out += v.get<bool>() ? "true" : "false"; return;
    case Value::value_t::number_integer: out += std::to_string(v.get<int64_t>()); return;
    case Value::value_t::number_unsigned: out += std::to_string(v.get<uint64_t>()); return;
    case Value::value_t::number_float: {
      double d = v.get<double>();
      // json.dumps writes NaN/Infinity; Assemblyline calls it with allow_nan=False. Reports are repaired on
      // read (NaN -> null), so this only happens for values the analysis computed itself.
      if (std::isnan(d)) out += "NaN";
      else if (std::isinf(d)) out += d > 0 ? "Infinity" : "-Infinity";
      else out += py_float_repr(d);
      return;
    }
    case Value::value_t::string: py_append_string(out, v.get_ref<const std::string&>()); return;
    case Value::value_t::array: {
      if (v.empty()) { out += "[]"; return; }
      out += '[';
      bool first = true;
      for (const auto& e : v) {
        if (!first) out += indent > 0 ? "," : ", ";
        first = false;
        if (indent > 0) newline(out, indent, level + 1);
        dump(out, e, indent, level + 1);
      }
      if (indent > 0) newline(out, indent, level);
      out += ']';
      return;
    }
    case Value::value_t::object: {
      if (v.empty()) { out += "{}"; return; }
      out += '{';
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += indent > 0 ? "," : ", ";
        first = false;
        if (indent > 0) newline(out, indent, level + 1);
        py_append_string(out, it.key());
        out += ": ";
        dump(out, it.value(), indent, level + 1);
      }
      if (indent > 0) newline(out, indent, level);
      out += '}';
      return;
    }
    default: out += "null"; return;
  }
}

}  // namespace

void py_append_string(std::string& out, std::string_view s) {
  out += '"';
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20) append_u_escape(out, c);
          else out += static_cast<char>(c);
      }
      continue;
    }
    unsigned cp = decode_utf8(s, i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      append_u_escape(out, 0xD800 + (cp >> 10));
      append_u_escape(out, 0xDC00 + (cp & 0x3FF));
    } else {
      append_u_escape(out, cp);
    }
  }
  out += '"';
}

std::string py_float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  // Shortest round-trip digits in scientific form: "d.ddde[+-]XX".
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  bool neg = sci[0] == '-';
  if (neg) sci.erase(0, 1);
  auto epos = sci.find('e');
  std::string mant = sci.substr(0, epos);
  int exp10 = std::stoi(sci.substr(epos + 1));
  std::string digits;
  for (char ch : mant) if (ch != '.') digits += ch;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out = neg ? "-" : "";
  // Python's float repr: positional when -4 <= exponent < 16, scientific otherwise.
  if (exp10 >= -4 && exp10 < 16) {
    int point = exp10 + 1;  // digits before the decimal point
    if (point <= 0) {
      out += "0.";
      out.append(static_cast<size_t>(-point), '0');
      out += digits;
    } else if (static_cast<size_t>(point) >= digits.size()) {
      out += digits;
      out.append(static_cast<size_t>(point) - digits.size(), '0');
      out += ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(point));
      out += '.';
      out += digits.substr(static_cast<size_t>(point));
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) {
    out += '.';
    out += digits.substr(1);
  }
  char ebuf[16];
  std::snprintf(ebuf, sizeof ebuf, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
  out += ebuf;
  return out;
}

std::string py_dumps(const Value& v) {
  std::string out;
  dump(out, v, 0, 0);
  return out;
}

std::string py_dumps_indent(const Value& v, int indent) {
  std::string out;
  dump(out, v, indent, 0);
  return out;
}

}  // namespace alcape::json
