// Python `re` patterns (str semantics) run with RE2.
//
// The reference matches Python regular expressions (Assemblyline's validators, safelist entries). RE2 has a
// different dialect, so a pattern is first translated:
//   \d \w \s (and \D \S \W) get Python's Unicode meaning, \uXXXX / \UXXXXXXXX / octal escapes become \x{..},
//   \Z becomes \z, {,n} becomes {0,n}, a '[' inside a class is escaped, (?#...) comments are dropped;
//   Python's `$` (end, or before a final "\n") becomes \z and a second attempt is made without the final "\n".
// Constructs RE2 cannot run (look-arounds, back-references, conditionals, atomic groups, the a/L/x flags, \W or
// \S inside a class) make the translation fail with a message; such a pattern never matches.
// Known approximations: \b/\B use ASCII word characters; \w is [\p{L}\p{N}_] (Python uses str.isalnum()).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace re2 { class RE2; }

namespace alcape::analysis::pyre {

// Two translations are made: `pattern` with Python's Unicode classes, and `ascii_pattern` where \d \w \s (and
// their negations) are their ASCII parts. On ASCII-only text both match the same; the ASCII one compiles to a
// far smaller program (a Unicode-wide class such as \w{2,5} costs milliseconds to compile), so the Unicode one
// is compiled only when non-ASCII text shows up.
struct Translation {
  std::string pattern;        // RE2 syntax, Unicode classes
  std::string ascii_pattern;  // RE2 syntax, ASCII classes (for ASCII-only text)
  std::string error;     // non-empty: RE2 cannot run the pattern
  bool uses_dollar = false;  // the pattern had a non-multiline `$` (see header comment)
};

Translation translate(std::string_view python_pattern);

// A compiled Python pattern. Thread-safe for matching once constructed.
class Regex {
 public:
  explicit Regex(std::string_view python_pattern, bool ignore_case = false);
  ~Regex();
  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& python_pattern() const { return source_; }

  // re.match(p, s): anchored at the start only. Returns group `group` (empty view for a group that did not
  // participate) or nullopt when there is no match.
  std::optional<std::string_view> match(std::string_view s, int group = 0) const;
  bool matches(std::string_view s) const;  // re.match(p, s) is not None (faster: no submatch)
  // re.search(p, s)
  std::optional<std::string_view> search(std::string_view s, int group = 0) const;
  // re.findall(p, s) for patterns with zero or one capturing group (whole match, or group 1).
  std::vector<std::string_view> findall(std::string_view s) const;

  int group_count() const;
  // The compiled program used for text s (ASCII or Unicode classes); null when !ok().
  const re2::RE2* re2_for(std::string_view s) const;

 private:
  std::optional<std::string_view> run(std::string_view s, bool anchored, int group) const;

  std::string source_;
  std::string error_;
  bool uses_dollar_ = false;
  std::string unicode_pattern_;
  bool ignore_case_ = false;
  std::unique_ptr<re2::RE2> ascii_;            // compiled at construction (it also validates the pattern)
  mutable std::unique_ptr<re2::RE2> unicode_;  // compiled on first non-ASCII text (null: same as ascii_)
  mutable std::unique_ptr<std::once_flag> unicode_once_;
};

}  // namespace alcape::analysis::pyre
