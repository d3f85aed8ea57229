// The marks of one CAPE signature rendered into its "Signature: <name>" section (the reference's
// _handle_mark_call, _handle_mark_data and _tag_mark_values, reference-behaviour.md §5.9).
#pragma once

#include "analysis/context.hpp"
#include "result/section.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

// Marks displayed per signature; later marks are still tagged.
inline constexpr int kMaxDisplayedMarks = 10;
// Longest string value displayed as is; longer ones are cut to this many code points plus "...".
inline constexpr size_t kMaxDisplayedValueLength = 512;
// The IOC hunt looks at this many code points of a value at most.
inline constexpr size_t kMaxHuntedValueLength = 5000;

inline constexpr std::string_view kSignatureIocTableTitle = "IOCs found in Signature data";

// An ontology attribute of the signature in the making: the process it points at, and what the marks add.
struct PendingAttribute {
  ontology::ProcessPtr process;
  std::optional<std::string> action;
  std::optional<std::string> uri;
};

// What is being built for one signature while its marks are read.
class SignatureBuild {
 public:
  SignatureBuild(AnalysisContext& ctx, result::Section& section) : ctx_(ctx), section_(section) {}

  result::Section& section() { return section_; }
  AnalysisContext& context() { return ctx_; }

  // Adds a body part and keeps the JSON text of the shown marks current (the "already shown" check reads it).
  void add_part(result::BodyFormat format, json::Value data);
  const std::string& shown_marks_json() const { return shown_marks_json_; }

  // _handle_mark_call: the call's process becomes an attribute (with the signature's action), once per
  // process and action.
  void add_call_attribute(std::optional<int64_t> pid, const std::optional<std::string>& action);
  // A YARA hit in process `pid` becomes an attribute of that process.
  void add_hit_attribute(int64_t pid);
  std::vector<PendingAttribute>& attributes() { return attributes_; }

  // The "IOCs found in Signature data" table, created on first use; nullptr when never used.
  result::Section& ioc_table();
  std::unique_ptr<result::Section> take_ioc_table() { return std::move(ioc_table_); }

 private:
  AnalysisContext& ctx_;
  result::Section& section_;
  std::string shown_marks_json_;
  std::vector<PendingAttribute> attributes_;
  std::unique_ptr<result::Section> ioc_table_;
};

// _handle_mark_data: the displayable items of a data mark (an object, maybe empty), given how many marks are
// shown already; every shown item, and every item of a mark past the display limit, is tagged.
json::Value render_data_mark(SignatureBuild& build, const json::Value& mark, int marks_shown);

// _tag_mark_values: tags `value` (the mark item as text) according to its key.
void tag_mark_value(SignatureBuild& build, std::string_view key, std::string value);

}  // namespace alcape::analysis
