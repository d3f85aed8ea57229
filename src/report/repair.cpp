#include "report/repair.hpp"

#include "core/utf8.hpp"

#include <cctype>
#include <cstdlib>

namespace alcape::report {
namespace {

// Length of a valid UTF-8 sequence at s[i], or 0.
size_t utf8_len(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  auto in = [](unsigned char x, unsigned lo, unsigned hi) { return x >= lo && x <= hi; };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  if (in(c, 0xc2, 0xdf)) return i + 1 < s.size() && in(b(i + 1), 0x80, 0xbf) ? 2 : 0;
  if (in(c, 0xe0, 0xef)) {
    if (i + 2 >= s.size()) return 0;
    unsigned char c1 = b(i + 1);
    bool ok1 = c == 0xe0 ? in(c1, 0xa0, 0xbf) : c == 0xed ? in(c1, 0x80, 0x9f) : in(c1, 0x80, 0xbf);
    return ok1 && in(b(i + 2), 0x80, 0xbf) ? 3 : 0;
  }
  if (in(c, 0xf0, 0xf4)) {
    if (i + 3 >= s.size()) return 0;
    unsigned char c1 = b(i + 1);
    bool ok1 = c == 0xf0 ? in(c1, 0x90, 0xbf) : c == 0xf4 ? in(c1, 0x80, 0x8f) : in(c1, 0x80, 0xbf);
    return ok1 && in(b(i + 2), 0x80, 0xbf) && in(b(i + 3), 0x80, 0xbf) ? 4 : 0;
  }
  return 0;
}

}  // namespace

std::vector<std::string> RepairResult::notices() const {
  std::vector<std::string> out;
  if (nan_literals)
    out.push_back(std::to_string(nan_literals) + " NaN/Infinity literal(s) in the report were read as null");
  if (lone_surrogates)
    out.push_back(std::to_string(lone_surrogates) + " unpaired UTF-16 surrogate escape(s) in the report were read as U+FFFD");
  if (invalid_utf8)
    out.push_back(std::to_string(invalid_utf8) + " invalid UTF-8 byte(s) in the report were read as U+FFFD");
  return out;
}

RepairResult repair_python_json(std::string_view s) {
  RepairResult r;
  r.text.reserve(s.size());
  bool in_string = false;
  size_t i = 0;
  const std::string_view kReplacement = "\xEF\xBF\xBD";
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t n = utf8_len(s, i);
      if (n == 0) {
        r.text += kReplacement;
        ++r.invalid_utf8;
        ++i;
      } else {
        r.text.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    if (in_string) {
      if (c == '"') {
        in_string = false;
        r.text += '"';
        ++i;
      } else if (c == '\\' && i + 1 < s.size()) {
        if (s[i + 1] == 'u') {
          int cp = utf8::hex4(s, i + 2);
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            int low = (i + 7 < s.size() && s[i + 6] == '\\' && s[i + 7] == 'u') ? utf8::hex4(s, i + 8) : -1;
            if (low >= 0xDC00 && low <= 0xDFFF) {
              r.text.append(s.substr(i, 12));
              i += 12;
            } else {
              r.text += "\\ufffd";
              ++r.lone_surrogates;
              i += 6;
            }
            continue;
          }
          if (cp >= 0xDC00 && cp <= 0xDFFF) {
            r.text += "\\ufffd";
            ++r.lone_surrogates;
            i += 6;
            continue;
          }
        }
        r.text.append(s.substr(i, 2));
        i += 2;
      } else {
        r.text += static_cast<char>(c);
        ++i;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      r.text += '"';
      ++i;
      continue;
    }
    auto starts = [&](std::string_view lit) { return s.substr(i, lit.size()) == lit; };
    if (starts("NaN")) {
      r.text += "null";
      ++r.nan_literals;
      i += 3;
    } else if (starts("-Infinity")) {
      r.text += "null";
      ++r.nan_literals;
      i += 9;
    } else if (starts("Infinity")) {
      r.text += "null";
      ++r.nan_literals;
      i += 8;
    } else {
      r.text += static_cast<char>(c);
      ++i;
    }
  }
  return r;
}

}  // namespace alcape::report
