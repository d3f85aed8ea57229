#include "analysis/tagging/py_regex.hpp"

#include "analysis/tagging/py_text.hpp"

#include <re2/re2.h>

#include <cstdio>

namespace alcape::analysis::pyre {

namespace {

// Python's \s on str (str.isspace()), as the inside of an RE2 character class.
constexpr std::string_view kSpaceClass =
    "\\t-\\r\\x{1c}-\\x{20}\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}";
constexpr std::string_view kWordClass = "\\p{L}\\p{N}_";
// The same classes restricted to ASCII, for the variant used on ASCII-only text (see Translation).
constexpr std::string_view kAsciiSpaceClass = "\\t-\\r\\x{1c}-\\x{20}";
constexpr std::string_view kAsciiWordClass = "0-9A-Za-z_";

// Appends to both translations at once.
struct DualOut {
  std::string* unicode;
  std::string* ascii;
  DualOut& operator+=(std::string_view s) {
    *unicode += s;
    *ascii += s;
    return *this;
  }
  DualOut& operator+=(char c) {
    *unicode += c;
    *ascii += c;
    return *this;
  }
};

bool is_hex(char c) { return pytext::is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_octal(char c) { return c >= '0' && c <= '7'; }

std::string code_point(unsigned long cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\x{%lx}", cp);
  return buf;
}

class Translator {
 public:
  explicit Translator(std::string_view p) : p_(p) {}

  Translation run() {
    while (i_ < p_.size() && t_.error.empty()) {
      if (in_class_) class_char();
      else outside_char();
    }
    if (t_.error.empty() && in_class_) t_.error = "unterminated character set";
    return std::move(t_);
  }

 private:
  void fail(std::string message) {
    if (t_.error.empty()) t_.error = std::move(message);
  }

  // Escapes valid both inside and outside classes that denote one character; true when handled.
  bool char_escape(char c) {
    switch (c) {
      case 'a': out() += code_point(7); ++i_; return true;
      case 'f': out() += code_point(12); ++i_; return true;
      case 'n': out() += code_point(10); ++i_; return true;
      case 'r': out() += code_point(13); ++i_; return true;
      case 't': out() += code_point(9); ++i_; return true;
      case 'v': out() += code_point(11); ++i_; return true;
      case 'x': return hex_escape(2);
      case 'u': return hex_escape(4);
      case 'U': return hex_escape(8);
      default: return false;
    }
  }

  bool hex_escape(size_t digits) {
    size_t start = i_ + 1;
    if (start + digits > p_.size()) {
      fail("incomplete escape \\" + std::string(1, p_[i_]));
      return true;
    }
    for (size_t k = 0; k < digits; ++k)
      if (!is_hex(p_[start + k])) {
        fail("incomplete escape \\" + std::string(1, p_[i_]));
        return true;
      }
    unsigned long cp = std::stoul(std::string(p_.substr(start, digits)), nullptr, 16);
    if (cp > 0x10FFFF) {
      fail("bad escape (code point out of range)");
      return true;
    }
    out() += code_point(cp);
    i_ = start + digits;
    return true;
  }

  // Up to three octal digits starting at i_ (Python caps the value at 0o377).
  void octal_escape(size_t max_digits) {
    size_t k = i_;
    unsigned long v = 0;
    while (k < p_.size() && k - i_ < max_digits && is_octal(p_[k])) v = v * 8 + (p_[k++] - '0');
    if (v > 0377) fail("octal escape value outside of range 0-0o377");
    out() += code_point(v);
    i_ = k;
  }

  DualOut out() { return DualOut{&t_.pattern, &t_.ascii_pattern}; }
  void emit(std::string_view unicode, std::string_view ascii) {
    t_.pattern += unicode;
    t_.ascii_pattern += ascii;
  }

  void outside_char() {
    char c = p_[i_];
    switch (c) {
      case '\\': return outside_escape();
      case '[': {
        out() += '[';
        ++i_;
        if (i_ < p_.size() && p_[i_] == '^') {
          out() += '^';
          ++i_;
        }
        if (i_ < p_.size() && p_[i_] == ']') {  // a leading ']' is literal
          out() += "\\]";
          ++i_;
        }
        in_class_ = true;
        return;
      }
      case '$':
        ++i_;
        if (multiline_) {
          out() += '$';
        } else {
          out() += "\\z";
          t_.uses_dollar = true;
        }
        return;
      case '(': return group_open();
      case '{': return brace();
      default: out() += c; ++i_; return;
    }
  }

  void outside_escape() {
    if (i_ + 1 >= p_.size()) return fail("bad escape (end of pattern)");
    ++i_;
    char c = p_[i_];
    if (char_escape(c)) return;
    switch (c) {
      // These classes are closed under case folding: (?-i:) spares RE2 folding them again, which is slow
      // for Unicode-wide classes.
      case 'd': emit("(?-i:\\p{Nd})", "[0-9]"); ++i_; return;
      case 'D': emit("(?-i:\\P{Nd})", "[^0-9]"); ++i_; return;
      case 'w': emit("(?-i:[" + std::string(kWordClass) + "])", "[" + std::string(kAsciiWordClass) + "]"); ++i_; return;
      case 'W': emit("(?-i:[^" + std::string(kWordClass) + "])", "[^" + std::string(kAsciiWordClass) + "]"); ++i_; return;
      case 's': emit("(?-i:[" + std::string(kSpaceClass) + "])", "[" + std::string(kAsciiSpaceClass) + "]"); ++i_; return;
      case 'S': emit("(?-i:[^" + std::string(kSpaceClass) + "])", "[^" + std::string(kAsciiSpaceClass) + "]"); ++i_; return;
      case 'Z': out() += "\\z"; ++i_; return;
      case 'A': case 'b': case 'B': out() += '\\'; out() += c; ++i_; return;
      case '0': return octal_escape(3);
      default: break;
    }
    if (c >= '1' && c <= '9') {
      // Three octal digits form a character; anything else is a back-reference, which RE2 lacks.
      if (i_ + 2 < p_.size() && is_octal(c) && is_octal(p_[i_ + 1]) && is_octal(p_[i_ + 2])) return octal_escape(3);
      return fail("back-references are not supported by RE2");
    }
    if (pytext::is_ascii_alpha(c)) return fail(std::string("bad escape \\") + c);
    ++i_;
    if (c == '_' || static_cast<unsigned char>(c) >= 0x80) {
      out() += c;  // RE2 rejects escaping word characters; non-ASCII bytes are literal anyway
    } else {
      out() += '\\';
      out() += c;
    }
  }

  void class_char() {
    char c = p_[i_];
    if (c == ']') {
      out() += ']';
      ++i_;
      in_class_ = false;
      return;
    }
    if (c == '[') {  // literal in Python; RE2 would read "[:" as a POSIX class
      out() += "\\[";
      ++i_;
      return;
    }
    if (c != '\\') {
      out() += c;
      ++i_;
      return;
    }
    if (i_ + 1 >= p_.size()) return fail("bad escape (end of pattern)");
    ++i_;
    c = p_[i_];
    if (char_escape(c)) return;
    switch (c) {
      case 'd': emit("\\p{Nd}", "0-9"); ++i_; return;
      case 'D': emit("\\P{Nd}", "\\x{0}-/:-\\x{7f}"); ++i_; return;
      case 'w': emit(kWordClass, kAsciiWordClass); ++i_; return;
      case 's': emit(kSpaceClass, kAsciiSpaceClass); ++i_; return;
      case 'W': case 'S': return fail("\\W and \\S inside a character class are not supported");
      case 'b': out() += code_point(8); ++i_; return;
      default: break;
    }
    if (is_octal(c)) return octal_escape(3);
    if (pytext::is_ascii_alnum(c)) return fail(std::string("bad escape \\") + c);
    ++i_;
    if (c == '_' || static_cast<unsigned char>(c) >= 0x80) {
      out() += c;
    } else {
      out() += '\\';
      out() += c;
    }
  }

  void group_open() {
    if (i_ + 1 >= p_.size() || p_[i_ + 1] != '?') {
      out() += '(';
      ++i_;
      return;
    }
    std::string_view rest = p_.substr(i_ + 2);
    auto starts = [&](std::string_view s) { return pytext::starts_with(rest, s); };
    if (starts(":") || starts("P<")) {
      out() += "(?";
      i_ += 2;
      return;
    }
    if (starts("#")) {  // comment up to the next ')'
      size_t close = p_.find(')', i_);
      if (close == std::string_view::npos) return fail("missing ), unterminated comment");
      i_ = close + 1;
      return;
    }
    if (starts("=") || starts("!") || starts("<=") || starts("<!"))
      return fail("look-around assertions are not supported by RE2");
    if (starts("P=")) return fail("back-references are not supported by RE2");
    if (starts(">")) return fail("atomic groups are not supported by RE2");
    if (starts("(")) return fail("conditional groups are not supported by RE2");
    // Inline flags: (?flags) or (?flags-flags:...)
    size_t k = i_ + 2;
    std::string on, off;
    bool negative = false;
    for (; k < p_.size() && p_[k] != ')' && p_[k] != ':'; ++k) {
      char f = p_[k];
      if (f == '-') {
        negative = true;
        continue;
      }
      if (f == 'u') continue;  // Unicode matching is the default for str patterns
      if (f == 'i' || f == 'm' || f == 's') {
        (negative ? off : on) += f;
        continue;
      }
      if (f == 'a' || f == 'L' || f == 'x') return fail(std::string("flag (?") + f + ") is not supported by RE2");
      return fail("unknown extension ?" + std::string(1, f));
    }
    if (k >= p_.size()) return fail("missing -, : or )");
    if (on.find('m') != std::string::npos) multiline_ = true;
    std::string flags = on + (off.empty() ? "" : "-" + off);
    if (p_[k] == ')') {
      if (!flags.empty()) out() += "(?" + flags + ")";
    } else {
      out() += "(?" + flags + ":";
    }
    i_ = k + 1;
  }

  // Python reads {m}, {m,}, {,n}, {m,n} as repeats and any other '{' as a literal.
  void brace() {
    size_t k = i_ + 1;
    size_t lo_start = k;
    while (k < p_.size() && pytext::is_ascii_digit(p_[k])) ++k;
    std::string_view lo = p_.substr(lo_start, k - lo_start);
    bool comma = k < p_.size() && p_[k] == ',';
    std::string_view hi;
    if (comma) {
      size_t hi_start = ++k;
      while (k < p_.size() && pytext::is_ascii_digit(p_[k])) ++k;
      hi = p_.substr(hi_start, k - hi_start);
    }
    if (k < p_.size() && p_[k] == '}' && (!lo.empty() || comma)) {
      out() += '{';
      out() += lo.empty() ? "0" : std::string(lo);
      if (comma) {
        out() += ',';
        out() += hi;
      }
      out() += '}';
      i_ = k + 1;
      return;
    }
    out() += "\\{";
    ++i_;
  }

  std::string_view p_;
  size_t i_ = 0;
  bool in_class_ = false;
  bool multiline_ = false;
  Translation t_;
};

}  // namespace

Translation translate(std::string_view python_pattern) {
  // Global flags must lead a Python pattern; a leading (?m) changes how `$` is translated.
  Translator tr(python_pattern);
  return tr.run();
}

namespace {

RE2::Options regex_options(bool ignore_case) {
  RE2::Options opts;
  opts.set_encoding(RE2::Options::EncodingUTF8);
  opts.set_case_sensitive(!ignore_case);
  opts.set_log_errors(false);
  opts.set_max_mem(64 << 20);
  return opts;
}

bool ascii_only(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

}  // namespace

Regex::Regex(std::string_view python_pattern, bool ignore_case)
    : source_(python_pattern), ignore_case_(ignore_case), unicode_once_(std::make_unique<std::once_flag>()) {
  Translation t = translate(python_pattern);
  if (!t.error.empty()) {
    error_ = std::move(t.error);
    return;
  }
  uses_dollar_ = t.uses_dollar;
  auto re = std::make_unique<RE2>(t.ascii_pattern, regex_options(ignore_case));
  if (!re->ok()) {
    error_ = re->error();
    if (error_.empty()) error_ = "RE2 could not compile the pattern";
    return;
  }
  ascii_ = std::move(re);
  if (t.pattern != t.ascii_pattern) unicode_pattern_ = std::move(t.pattern);
}

Regex::~Regex() = default;
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;

const RE2* Regex::re2_for(std::string_view s) const {
  if (!ascii_) return nullptr;
  if (unicode_pattern_.empty() || ascii_only(s)) return ascii_.get();
  std::call_once(*unicode_once_, [&] {
    auto re = std::make_unique<RE2>(unicode_pattern_, regex_options(ignore_case_));
    if (re->ok()) unicode_ = std::move(re);
  });
  return unicode_ ? unicode_.get() : ascii_.get();
}

int Regex::group_count() const { return ascii_ ? ascii_->NumberOfCapturingGroups() : 0; }

std::optional<std::string_view> Regex::run(std::string_view s, bool anchored, int group) const {
  const RE2* re = re2_for(s);
  if (!re || group < 0 || group > re->NumberOfCapturingGroups()) return std::nullopt;
  std::vector<re2::StringPiece> sub(static_cast<size_t>(group) + 1);
  auto attempt = [&](std::string_view text) {
    return re->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(),
                     anchored ? RE2::ANCHOR_START : RE2::UNANCHORED, sub.data(), group + 1);
  };
  // Python's `$` also matches before a final newline: retry without it.
  if (attempt(s) || (uses_dollar_ && !s.empty() && s.back() == '\n' && attempt(s.substr(0, s.size() - 1)))) {
    const auto& g = sub[static_cast<size_t>(group)];
    return g.data() ? std::string_view(g.data(), g.size()) : std::string_view();
  }
  return std::nullopt;
}

std::optional<std::string_view> Regex::match(std::string_view s, int group) const { return run(s, true, group); }

bool Regex::matches(std::string_view s) const {
  const RE2* re = re2_for(s);
  if (!re) return false;
  auto attempt = [&](std::string_view text) {
    return re->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::ANCHOR_START, nullptr, 0);
  };
  return attempt(s) || (uses_dollar_ && !s.empty() && s.back() == '\n' && attempt(s.substr(0, s.size() - 1)));
}

std::optional<std::string_view> Regex::search(std::string_view s, int group) const { return run(s, false, group); }

std::vector<std::string_view> Regex::findall(std::string_view s) const {
  std::vector<std::string_view> out;
  const RE2* re = re2_for(s);
  if (!re) return out;
  const int group = re->NumberOfCapturingGroups() >= 1 ? 1 : 0;
  std::string_view text = s;
  if (uses_dollar_ && !text.empty() && text.back() == '\n') text.remove_suffix(1);
  std::vector<re2::StringPiece> sub(static_cast<size_t>(group) + 1);
  size_t pos = 0;
  const re2::StringPiece whole(text.data(), text.size());
  while (pos <= text.size()) {
    if (!re->Match(whole, pos, text.size(), RE2::UNANCHORED, sub.data(), group + 1)) break;
    const auto& m0 = sub[0];
    const auto& g = sub[static_cast<size_t>(group)];
    out.push_back(g.data() ? std::string_view(g.data(), g.size()) : std::string_view());
    size_t end = static_cast<size_t>(m0.data() - text.data()) + m0.size();
    pos = m0.size() == 0 ? end + 1 : end;
  }
  return out;
}

}  // namespace alcape::analysis::pyre
