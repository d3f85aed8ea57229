#include "report/json_scan.hpp"

#include "core/utf8.hpp"
#include <cstring>

namespace alcape::report {
namespace {

bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

void append_utf8(std::string& out, unsigned cp) { utf8::append(out, static_cast<char32_t>(cp)); }

}  // namespace

void JsonScanner::fail(const std::string& what) const {
  throw ScanError{static_cast<size_t>(p_ - base_), what};
}

char JsonScanner::peek() {
  while (p_ < end_ && is_ws(*p_)) ++p_;
  return p_ < end_ ? *p_ : '\0';
}

void JsonScanner::expect(char c) {
  if (peek() != c) fail(std::string("expected '") + c + "'");
  ++p_;
}

void JsonScanner::skip_string_body() {
  // memchr is vectorised in glibc: strings are most of a report's bytes.
  while (true) {
    const void* q = std::memchr(p_, '"', static_cast<size_t>(end_ - p_));
    if (!q) fail("unterminated string");
    const char* quote = static_cast<const char*>(q);
    const char* b = quote;
    while (b > p_ && b[-1] == '\\') --b;
    p_ = quote + 1;
    if (((quote - b) & 1) == 0) return;  // an even number of backslashes: the quote is not escaped
  }
}

void JsonScanner::skip_container() {
  size_t depth = 0;
  while (p_ < end_) {
    char c = *p_++;
    switch (c) {
      case '"': skip_string_body(); break;
      case '{':
      case '[': ++depth; break;
      case '}':
      case ']':
        if (depth == 0) fail("unbalanced bracket");
        if (--depth == 0) return;
        break;
      default: break;
    }
  }
  fail("unterminated object or array");
}

std::string_view JsonScanner::raw_string() {
  if (peek() != '"') fail("expected a string");
  const char* start = ++p_;
  skip_string_body();
  return std::string_view(start, static_cast<size_t>(p_ - 1 - start));
}

std::string_view JsonScanner::value() {
  char c = peek();
  const char* start = p_;
  if (c == '"') {
    ++p_;
    skip_string_body();
  } else if (c == '{' || c == '[') {
    skip_container();
  } else if (c == '\0') {
    fail("expected a value, found the end of the input");
  } else {
    // number or literal: up to the next delimiter
    while (p_ < end_ && *p_ != ',' && *p_ != '}' && *p_ != ']' && !is_ws(*p_)) ++p_;
    if (p_ == start) fail("expected a value");
  }
  return std::string_view(start, static_cast<size_t>(p_ - start));
}

bool decode_json_string(std::string_view raw, std::string& out, size_t* lone_surrogates) {
  out.clear();
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= raw.size()) return false;
    switch (raw[i]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        int cp = utf8::hex4(raw, i + 1);
        if (cp < 0) return false;
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < raw.size() + 0 && raw[i + 1] == '\\' && raw[i + 2] == 'u') {
          int low = utf8::hex4(raw, i + 3);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {  // lone surrogate (see reader.hpp's policy)
          cp = 0xFFFD;
          if (lone_surrogates) ++*lone_surrogates;
        }
        append_utf8(out, static_cast<unsigned>(cp));
        break;
      }
      default: return false;
    }
  }
  return true;
}

}  // namespace alcape::report
