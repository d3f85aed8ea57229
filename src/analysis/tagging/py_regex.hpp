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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace re2 { class RE2; }

namespace alcape::analysis::pyre {

struct Translation {
  std::string pattern;   // RE2 syntax
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
  bool matches(std::string_view s) const { return match(s).has_value(); }
  // re.search(p, s)
  std::optional<std::string_view> search(std::string_view s, int group = 0) const;
  // re.findall(p, s) for patterns with zero or one capturing group (whole match, or group 1).
  std::vector<std::string_view> findall(std::string_view s) const;

  int group_count() const;
  const re2::RE2* re2() const { return re_.get(); }

 private:
  std::optional<std::string_view> run(std::string_view s, bool anchored, int group) const;

  std::string source_;
  std::string error_;
  bool uses_dollar_ = false;
  std::unique_ptr<re2::RE2> re_;
};

}  // namespace alcape::analysis::pyre
