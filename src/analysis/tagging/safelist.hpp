// Tag safelisting as the reference does it (assemblyline_service_utilities.common.safelist_helper):
// a safelist is {"match": {tag_type: [values]}, "regex": {tag_type: [patterns]}}; `match` compares
// case-insensitively, `regex` is Python's re.match(pattern, value, IGNORECASE) (anchored at the start only).
#pragma once

#include "json/value.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

struct SafelistData {
  std::map<std::string, std::vector<std::string>> match;
  std::map<std::string, std::vector<std::string>> regex;

  // Parses the YAML/JSON safelist format (AL's tag_safelist.yml, the service's system_safelist.yaml):
  // top-level keys `match` and `regex`, each a mapping of tag type -> list of strings (a null or empty list
  // is allowed). Throws std::runtime_error naming the problem (syntax error with its line, unknown top-level
  // key, wrong type of a value).
  static SafelistData from_yaml(std::string_view text);
  // The same from an already parsed document (string values only).
  static SafelistData from_value(const json::Value& root);
  // Appends the other list's entries (used to combine the system safelist, AL's default and extra entries).
  void merge(const SafelistData& other);
  bool empty() const { return match.empty() && regex.empty(); }
};

// Compiled safelist. Patterns are translated from Python's dialect and compiled once with RE2 (see
// py_regex.hpp); patterns RE2 cannot run (look-arounds, back-references, ...) are listed by
// `invalid_patterns()` as "<tag type>: <pattern>: <reason>" and never match.
class Safelist {
 public:
  Safelist();
  explicit Safelist(SafelistData data);
  ~Safelist();
  Safelist(Safelist&&) noexcept;
  Safelist& operator=(Safelist&&) noexcept;

  // is_tag_safelisted(value, tags, safelist, substring)
  bool is_tag_safelisted(std::string_view value, const std::vector<std::string_view>& tag_types,
                         bool substring = false) const;
  bool is_tag_safelisted(std::string_view value, std::string_view tag_type) const {
    return is_tag_safelisted(value, std::vector<std::string_view>{tag_type});
  }
  // contains_safelisted_value(val, safelist): the first IP, else domain, else URI host found in val is checked.
  bool contains_safelisted_value(std::string_view value) const;

  // Compiles the patterns of `tag_type` now rather than on its first lookup (analysis/warm_up.hpp).
  void prepare(std::string_view tag_type) const;

  bool empty() const { return data_.empty(); }
  const SafelistData& data() const { return data_; }
  const std::vector<std::string>& invalid_patterns() const;  // parses every pattern on the first call

 private:
  struct Compiled;
  SafelistData data_;
  std::unique_ptr<Compiled> compiled_;
  mutable std::unique_ptr<std::once_flag> invalid_once_ = std::make_unique<std::once_flag>();
  mutable std::vector<std::string> invalid_;
};

}  // namespace alcape::analysis
