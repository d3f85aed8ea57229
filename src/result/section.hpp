// The Assemblyline result model: sections with bodies, tags and heuristics, as the Python service library
// (assemblyline-v4-service common/result.py) builds them. Serialisation lives in result_json.hpp.
#pragma once

#include "json/value.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace alcape::result {

enum class BodyFormat { Text, KeyValue, Table, Multi, Sandbox, Image, Json, OrderedKeyValue, MemoryDump, Divider };
std::string_view to_string(BodyFormat f);

// Tags of one section: per tag type a de-duplicated list of values (strings, or integers for ports), in insertion
// order, like ResultSection.add_tag. Validation against Assemblyline's rules happens before (analysis/tagging).
class Tags {
 public:
  // Adds value unless it is empty or already present; returns true when it was added.
  bool add(std::string_view type, const json::Value& value);
  bool contains(std::string_view type, const json::Value& value) const;
  bool has_type(std::string_view type) const;
  const std::vector<json::Value>* values(std::string_view type) const;
  bool empty() const { return entries_.empty(); }
  const std::vector<std::pair<std::string, std::vector<json::Value>>>& entries() const { return entries_; }
  // {"network": {"dynamic": {"ip": [...]}}}: the nested form both AL servers accept.
  json::Value nested() const;

 private:
  std::vector<std::pair<std::string, std::vector<json::Value>>> entries_;
};

// A heuristic raised by a section (Heuristic in the v4 service library). The score is not stored: it is
// computed from the manifest catalog at serialisation time, as the server does.
struct Heuristic {
  int heur_id = 0;
  std::vector<std::string> attack_ids;                 // empty: the catalog's defaults apply
  std::vector<std::pair<std::string, int>> signatures;  // name -> frequency, insertion order
  std::map<std::string, int> score_map;                 // per-signature scores chosen by the service
  int frequency = 1;                                    // used only when there are no signatures

  void add_signature_id(const std::string& name, std::optional<int> score = std::nullopt, int freq = 1);
  bool has_signature(std::string_view name) const;
};

class Section {
 public:
  explicit Section(std::string title, BodyFormat format = BodyFormat::Text);

  std::string title;
  BodyFormat format;
  // TEXT / MEMORY_DUMP: a string (or null). Other formats: the JSON data (object for KEY_VALUE and SANDBOX,
  // list of rows for TABLE, list of [format, data, config] parts for MULTI).
  json::Value data;
  json::Value body_config = json::Value::object();
  std::string classification = "TLP:C";
  std::optional<Heuristic> heuristic;
  Tags tags;
  bool auto_collapse = false;
  bool zeroize_on_tag_safe = false;
  std::optional<std::string> promote_to;
  std::vector<std::unique_ptr<Section>> children;

  // TEXT bodies: lines joined with "\n" (title and lines pass through safe_str, like the library).
  void add_line(std::string_view line);
  void add_lines(const std::vector<std::string>& lines);
  // KEY_VALUE bodies.
  void set_item(const std::string& key, json::Value value);
  // TABLE bodies: add_row also resets column_order to the keys of that row (the library's behaviour).
  void add_row(json::Value row);
  void set_column_order(const std::vector<std::string>& order);
  // MULTI bodies: one part; data is raw JSON (a string for TEXT parts).
  void add_part(BodyFormat part_format, json::Value part_data, json::Value part_config = json::Value::object());

  // Raises heuristic heur_id on this section (replacing none: a second call is a programming error and is ignored).
  Heuristic& set_heuristic(int heur_id);
  void clear_heuristic() { heuristic.reset(); }

  Section& add_child(std::unique_ptr<Section> child);
  Section& add_child(Section&& child);
  // Convenience: creates a child section and returns it.
  Section& add_child(std::string title, BodyFormat format = BodyFormat::Text);

  // The body as Assemblyline receives it: null when empty, else the text or the JSON-encoded data.
  std::optional<std::string> body_text() const;

  Section* find_child(std::string_view title);
  const Section* find_child(std::string_view title) const;
};

// Python's safe_str for display text: control characters other than \t \n \r become literal \xNN.
std::string safe_str(std::string_view s);

}  // namespace alcape::result
