#include "analysis/tagging/safelist.hpp"

#include "analysis/tagging/al_regex.hpp"
#include "analysis/tagging/py_regex.hpp"
#include "analysis/tagging/py_text.hpp"
#include "analysis/tagging/url_parse.hpp"

#include <re2/re2.h>
#include <re2/set.h>
#include "core/yaml.hpp"

#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_set>

namespace alcape::analysis {

// ---------------------------------------------------------------- SafelistData

namespace {

void read_section(const json::Value& node, const char* section, std::map<std::string, std::vector<std::string>>& out) {
  if (node.is_null()) return;
  if (!node.is_object())
    throw std::runtime_error(std::string("safelist: `") + section + "` must be a mapping of tag type to a list");
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string& tag = it.key();
    auto& values = out[tag];
    const json::Value& list = it.value();
    if (list.is_null()) continue;  // AL: an empty entry nullifies the tag type
    auto where = [&] { return std::string("safelist: ") + section + "." + tag; };
    if (!list.is_array()) throw std::runtime_error(where() + " must be a list of strings");
    for (const auto& item : list) {
      if (!item.is_string()) throw std::runtime_error(where() + " has an entry that is not a string");
      values.push_back(item.get<std::string>());
    }
  }
}

}  // namespace

SafelistData SafelistData::from_yaml(std::string_view text) {
  // Every entry is a tag value or pattern: scalars are read as text, whatever they look like.
  auto parsed = yaml::parse(text, "safelist", yaml::ParseOptions{.scalars_as_strings = true});
  if (!parsed.ok()) throw std::runtime_error("safelist: invalid YAML: " + parsed.error().message);
  return from_value(parsed.value());
}

SafelistData SafelistData::from_value(const json::Value& root) {
  SafelistData d;
  if (root.is_null()) return d;
  if (!root.is_object()) throw std::runtime_error("safelist: expected a mapping with `match` and/or `regex` at the top");
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (it.key() != "match" && it.key() != "regex")
      throw std::runtime_error("safelist: unknown top-level key `" + it.key() + "` (expected `match` and `regex`)");
  }
  read_section(json::get(root, "match"), "match", d.match);
  read_section(json::get(root, "regex"), "regex", d.regex);
  return d;
}

void SafelistData::merge(const SafelistData& other) {
  for (const auto& [k, v] : other.match) match[k].insert(match[k].end(), v.begin(), v.end());
  for (const auto& [k, v] : other.regex) regex[k].insert(regex[k].end(), v.begin(), v.end());
}

// ---------------------------------------------------------------- compiled form

namespace {

struct MatchRules {
  std::unordered_set<std::string> ascii_lower;     // ASCII entries, lower-cased, for value.lower() == entry.lower()
  std::vector<std::string> lower;                  // all entries, ASCII-lower-cased (substring mode)
  std::vector<std::unique_ptr<RE2>> non_ascii;     // non-ASCII entries as case-insensitive literals
};

// All valid patterns of one tag type at once (anchored at the start), and those with a Python `$` for the
// retry without a final newline. Parsed when the safelist is built, compiled on first use.
struct PatternSets {
  explicit PatternSets(const RE2::Options& opts) : all(opts, RE2::ANCHOR_START), with_dollar(opts, RE2::ANCHOR_START) {}
  RE2::Set all;
  RE2::Set with_dollar;
  bool any_dollar = false;
  std::once_flag compile_once;
  bool compiled_ok = false;

  bool compile() {
    std::call_once(compile_once, [&] { compiled_ok = all.Compile() && (!any_dollar || with_dollar.Compile()); });
    return compiled_ok;
  }

  // nullopt: the sets cannot run (compile failure, DFA out of memory).
  std::optional<bool> matches(std::string_view value) {
    if (!compile()) return std::nullopt;
    RE2::Set::ErrorInfo err{RE2::Set::kNoError};
    if (all.Match(re2::StringPiece(value.data(), value.size()), nullptr, &err)) return true;
    if (err.kind != RE2::Set::kNoError) return std::nullopt;
    if (any_dollar && !value.empty() && value.back() == '\n') {
      std::string_view cut = value.substr(0, value.size() - 1);
      if (with_dollar.Match(re2::StringPiece(cut.data(), cut.size()), nullptr, &err)) return true;
      if (err.kind != RE2::Set::kNoError) return std::nullopt;
    }
    return false;
  }
};

// The patterns of one tag type. A safelist has hundreds of patterns and most tag types are never looked up in
// a given report, so compiling waits for the first lookup; ASCII-only values (nearly all) use the translation
// with ASCII classes, much cheaper to compile (see py_regex.hpp).
struct RegexRules {
  explicit RegexRules(const RE2::Options& opts) : ascii(opts), unicode(opts) {}

  // Parsing hundreds of patterns costs more than most reports' whole analysis, and most tag types are never
  // looked up: the patterns are translated and parsed on the first lookup of their tag type (or when the
  // invalid ones are asked for).
  std::string tag;
  std::vector<std::string> written;  // every pattern of the safelist, as written
  std::once_flag prepare_once;
  std::vector<std::string> invalid;  // "<tag>: <pattern>: <reason>"

  std::vector<std::string> sources;  // the valid patterns, as written
  PatternSets ascii;
  PatternSets unicode;  // filled on the first non-ASCII value
  std::vector<pyre::Translation> unicode_translations;
  bool unicode_differs = false;  // some pattern has a class escape (\d \w \s ...)
  std::once_flag unicode_once;

  std::once_flag fallback_once;
  std::vector<std::unique_ptr<pyre::Regex>> one_by_one;  // used when the sets cannot run

  void prepare() {
    std::call_once(prepare_once, [&] {
      for (const auto& p : written) {
        pyre::Translation t = pyre::translate(p);
        std::string error = t.error;
        // The ASCII translation has the same syntax as the Unicode one: parsing it validates the pattern.
        if (error.empty() && ascii.all.Add(t.ascii_pattern, &error) < 0 && error.empty()) error = "RE2 cannot parse it";
        if (!error.empty()) {
          invalid.push_back(tag + ": " + p + ": " + error);
          continue;
        }
        if (t.uses_dollar) {
          ascii.any_dollar = true;
          ascii.with_dollar.Add(t.ascii_pattern, nullptr);
        }
        unicode_differs = unicode_differs || t.pattern != t.ascii_pattern;
        sources.push_back(p);
        unicode_translations.push_back(std::move(t));
      }
    });
  }

  // What the first lookup of an ASCII value would compile.
  void compile_ascii() {
    prepare();
    if (!sources.empty()) ascii.compile();
  }

  bool matches(std::string_view value) {
    prepare();
    if (sources.empty()) return false;
    const bool use_ascii = !unicode_differs || pytext::is_ascii(value);
    if (!use_ascii)
      std::call_once(unicode_once, [&] {
        for (const auto& t : unicode_translations) {
          unicode.all.Add(t.pattern, nullptr);
          if (t.uses_dollar) {
            unicode.any_dollar = true;
            unicode.with_dollar.Add(t.pattern, nullptr);
          }
        }
      });
    PatternSets& sets = use_ascii ? ascii : unicode;
    if (auto r = sets.matches(value)) return *r;
    std::call_once(fallback_once, [&] {
      for (const auto& p : sources) one_by_one.push_back(std::make_unique<pyre::Regex>(p, /*ignore_case=*/true));
    });
    for (const auto& p : one_by_one)
      if (p->matches(value)) return true;
    return false;
  }
};

}  // namespace

struct Safelist::Compiled {
  std::map<std::string, MatchRules, std::less<>> match;
  // Mutable: the rules compile themselves on first use (thread-safe); matching does not change the safelist.
  mutable std::map<std::string, RegexRules, std::less<>> regex;
};

Safelist::Safelist() : compiled_(std::make_unique<Compiled>()) {}

Safelist::Safelist(SafelistData data) : data_(std::move(data)), compiled_(std::make_unique<Compiled>()) {
  for (const auto& [tag, values] : data_.match) {
    MatchRules& rules = compiled_->match[tag];
    for (const auto& v : values) {
      rules.lower.push_back(pytext::ascii_lower(v));
      if (pytext::is_ascii(v)) {
        rules.ascii_lower.insert(rules.lower.back());
      } else {
        RE2::Options opts;
        opts.set_case_sensitive(false);
        opts.set_log_errors(false);
        opts.set_literal(true);
        rules.non_ascii.push_back(std::make_unique<RE2>(v, opts));
      }
    }
  }
  RE2::Options opts;
  opts.set_case_sensitive(false);
  opts.set_log_errors(false);
  opts.set_max_mem(64 << 20);
  for (const auto& [tag, patterns] : data_.regex) {
    auto [it, inserted] = compiled_->regex.try_emplace(tag, opts);
    it->second.tag = tag;
    it->second.written.insert(it->second.written.end(), patterns.begin(), patterns.end());
  }
}

const std::vector<std::string>& Safelist::invalid_patterns() const {
  if (!invalid_once_ || !compiled_) return invalid_;  // a moved-from safelist
  std::call_once(*invalid_once_, [&] {
    for (auto& [tag, rules] : compiled_->regex) {
      rules.prepare();
      invalid_.insert(invalid_.end(), rules.invalid.begin(), rules.invalid.end());
    }
  });
  return invalid_;
}

Safelist::~Safelist() = default;
Safelist::Safelist(Safelist&&) noexcept = default;
Safelist& Safelist::operator=(Safelist&&) noexcept = default;

bool Safelist::is_tag_safelisted(std::string_view value, const std::vector<std::string_view>& tag_types,
                                 bool substring) const {
  if (value.empty() || tag_types.empty() || data_.empty() || !compiled_) return false;
  const bool ascii = pytext::is_ascii(value);
  std::string lowered;  // computed on first need
  for (std::string_view tag : tag_types) {
    if (auto it = compiled_->match.find(tag); it != compiled_->match.end()) {
      const MatchRules& rules = it->second;
      if (lowered.empty()) lowered = pytext::ascii_lower(value);
      if (ascii && rules.ascii_lower.count(lowered)) return true;
      if (!ascii)
        for (const auto& re : rules.non_ascii)
          if (RE2::FullMatch(re2::StringPiece(value.data(), value.size()), *re)) return true;
      // (Python lower-cases with Unicode rules; the few non-ASCII characters whose lower case is ASCII,
      // such as the Kelvin sign, are not folded here.)
      if (substring)
        for (const auto& entry : rules.lower)
          if (lowered.find(entry) != std::string::npos) return true;
    }
    if (auto it = compiled_->regex.find(tag); it != compiled_->regex.end())
      if (it->second.matches(value)) return true;
  }
  return false;
}

void Safelist::prepare(std::string_view tag_type) const {
  if (!compiled_) return;
  if (auto it = compiled_->regex.find(tag_type); it != compiled_->regex.end()) it->second.compile_ascii();
}

bool Safelist::contains_safelisted_value(std::string_view val) const {
  if (val.empty()) return false;
  if (auto ip = al_regex(AlRegex::IP_REGEX).search(val)) return is_tag_safelisted(*ip, "network.dynamic.ip");
  if (auto domain = al_regex(AlRegex::DOMAIN_REGEX).search(val))
    return is_tag_safelisted(*domain, "network.dynamic.domain");
  if (auto uri = al_regex(AlRegex::URI_REGEX).search(val)) {
    auto parts = url::urlsplit(*uri);  // urlparse(...).netloc is urlsplit's netloc
    return parts && is_tag_safelisted(parts->netloc, "network.dynamic.domain");
  }
  return false;
}

}  // namespace alcape::analysis
