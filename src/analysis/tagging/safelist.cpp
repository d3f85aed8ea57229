#include "analysis/tagging/safelist.hpp"

#include "analysis/tagging/al_regex.hpp"
#include "analysis/tagging/py_regex.hpp"
#include "analysis/tagging/py_text.hpp"
#include "analysis/tagging/url_parse.hpp"

#include <re2/re2.h>
#include <re2/set.h>
#include <yaml-cpp/yaml.h>

#include <stdexcept>
#include <unordered_set>

namespace alcape::analysis {

// ---------------------------------------------------------------- SafelistData

namespace {

void read_section(const YAML::Node& node, const char* section, std::map<std::string, std::vector<std::string>>& out) {
  if (!node || node.IsNull()) return;
  if (!node.IsMap())
    throw std::runtime_error(std::string("safelist: `") + section + "` must be a mapping of tag type to a list");
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) throw std::runtime_error(std::string("safelist: `") + section + "` has a non-text key");
    const std::string tag = kv.first.as<std::string>();
    auto& values = out[tag];
    const YAML::Node& list = kv.second;
    if (list.IsNull()) continue;  // AL: an empty entry nullifies the tag type
    auto where = [&] { return std::string("safelist: ") + section + "." + tag; };
    if (!list.IsSequence()) throw std::runtime_error(where() + " must be a list of strings");
    for (const auto& item : list) {
      if (!item.IsScalar()) throw std::runtime_error(where() + " has an entry that is not a string");
      values.push_back(item.as<std::string>());
    }
  }
}

}  // namespace

SafelistData SafelistData::from_yaml(std::string_view text) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(std::string("safelist: invalid YAML: ") + e.what());
  }
  SafelistData d;
  if (!root || root.IsNull()) return d;
  if (!root.IsMap()) throw std::runtime_error("safelist: expected a mapping with `match` and/or `regex` at the top");
  for (const auto& kv : root) {
    const std::string key = kv.first.IsScalar() ? kv.first.as<std::string>() : std::string("?");
    if (key != "match" && key != "regex")
      throw std::runtime_error("safelist: unknown top-level key `" + key + "` (expected `match` and `regex`)");
  }
  try {
    read_section(root["match"], "match", d.match);
    read_section(root["regex"], "regex", d.regex);
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(std::string("safelist: ") + e.what());
  }
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

struct RegexRules {
  std::vector<std::unique_ptr<pyre::Regex>> patterns;  // the valid ones, in order
  // All valid patterns at once (anchored at the start), and those with a Python `$` for the retry without a
  // final newline. Null when building the set failed: the patterns are then tried one by one.
  std::unique_ptr<RE2::Set> all;
  std::unique_ptr<RE2::Set> with_dollar;

  bool matches(std::string_view value) const;
};

bool RegexRules::matches(std::string_view value) const {
  if (patterns.empty()) return false;
  if (all) {
    RE2::Set::ErrorInfo err{RE2::Set::kNoError};
    if (all->Match(re2::StringPiece(value.data(), value.size()), nullptr, &err)) return true;
    bool ok = err.kind == RE2::Set::kNoError;
    if (ok && with_dollar && !value.empty() && value.back() == '\n') {
      std::string_view cut = value.substr(0, value.size() - 1);
      if (with_dollar->Match(re2::StringPiece(cut.data(), cut.size()), nullptr, &err)) return true;
      ok = err.kind == RE2::Set::kNoError;
    }
    if (ok) return false;
    // DFA out of memory: fall through to the one-by-one check.
  }
  for (const auto& p : patterns)
    if (p->matches(value)) return true;
  return false;
}

}  // namespace

struct Safelist::Compiled {
  std::map<std::string, MatchRules, std::less<>> match;
  std::map<std::string, RegexRules, std::less<>> regex;
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
  for (const auto& [tag, patterns] : data_.regex) {
    RegexRules& rules = compiled_->regex[tag];
    RE2::Options opts;
    opts.set_case_sensitive(false);
    opts.set_log_errors(false);
    opts.set_max_mem(64 << 20);
    auto all = std::make_unique<RE2::Set>(opts, RE2::ANCHOR_START);
    auto with_dollar = std::make_unique<RE2::Set>(opts, RE2::ANCHOR_START);
    bool sets_ok = true, any_dollar = false;
    for (const auto& p : patterns) {
      auto re = std::make_unique<pyre::Regex>(p, /*ignore_case=*/true);
      if (!re->ok()) {
        invalid_.push_back(tag + ": " + p + ": " + re->error());
        continue;
      }
      pyre::Translation t = pyre::translate(p);
      sets_ok = sets_ok && all->Add(t.pattern, nullptr) >= 0;
      if (t.uses_dollar) {
        any_dollar = true;
        sets_ok = sets_ok && with_dollar->Add(t.pattern, nullptr) >= 0;
      }
      rules.patterns.push_back(std::move(re));
    }
    if (sets_ok && !rules.patterns.empty() && all->Compile() && (!any_dollar || with_dollar->Compile())) {
      rules.all = std::move(all);
      if (any_dollar) rules.with_dollar = std::move(with_dollar);
    }
  }
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
