// Tag safelisting as the reference does it (assemblyline_service_utilities.common.safelist_helper):
// a safelist is {"match": {tag_type: [values]}, "regex": {tag_type: [patterns]}}; `match` compares
// case-insensitively, `regex` is Python's re.match(pattern, value, IGNORECASE) (anchored at the start only).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace re2 { class RE2; }

namespace alcape::analysis {

struct SafelistData {
  std::map<std::string, std::vector<std::string>> match;
  std::map<std::string, std::vector<std::string>> regex;

  // Parses the YAML/JSON safelist format; throws std::runtime_error naming the problem.
  static SafelistData from_yaml(std::string_view text);
  // Appends the other list's entries (used to combine the system safelist, AL's default and extra entries).
  void merge(const SafelistData& other);
  bool empty() const { return match.empty() && regex.empty(); }
};

// Compiled safelist. Patterns that RE2 cannot compile are reported by `invalid_patterns()` and never match.
class Safelist {
 public:
  Safelist();
  explicit Safelist(SafelistData data);
  ~Safelist();
  Safelist(Safelist&&) noexcept;
  Safelist& operator=(Safelist&&) noexcept;

  // is_tag_safelisted(value, tags, safelist)
  bool is_tag_safelisted(std::string_view value, const std::vector<std::string_view>& tag_types) const;
  bool is_tag_safelisted(std::string_view value, std::string_view tag_type) const {
    return is_tag_safelisted(value, std::vector<std::string_view>{tag_type});
  }
  // contains_safelisted_value(val, safelist): the first IP, else domain, else URI host found in val is checked.
  bool contains_safelisted_value(std::string_view value) const;

  bool empty() const { return data_.empty(); }
  const SafelistData& data() const { return data_; }
  const std::vector<std::string>& invalid_patterns() const { return invalid_; }

 private:
  SafelistData data_;
  std::map<std::string, std::vector<std::unique_ptr<re2::RE2>>> compiled_;
  std::vector<std::string> invalid_;
};

}  // namespace alcape::analysis
