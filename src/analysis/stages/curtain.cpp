#include "analysis/stages/curtain.hpp"

#include "analysis/stages/pid_key.hpp"
#include "analysis/tagging/tag_helper.hpp"

#include <memory>

namespace alcape::analysis {
namespace {

// Curtain writes this instead of a de-obfuscated form when the script block was left as is.
constexpr std::string_view kNoAlteration = "No alteration of event.";

// The process name shown for a curtain pid: the monitored process's name, else powershell.exe (curtain only
// logs PowerShell hosts, and CAPE may not have monitored that process).
json::Value process_name_for(const json::Value& process_map, std::string_view pid) {
  const json::Value* entry = find_process_by_pid_text(process_map, pid);
  if (entry && json::truthy(*entry)) return json::get(*entry, "name");
  return "powershell.exe";
}

}  // namespace

void process_curtain(AnalysisContext& ctx, result::Section& parent) {
  const json::Value& curtain = ctx.report.curtain;
  if (!curtain.is_object() || curtain.empty()) return;

  auto section = std::make_unique<result::Section>(std::string(kCurtainSectionTitle), result::BodyFormat::Table);
  section->set_column_order({"process_name", "original", "reformatted"});
  std::vector<json::Value> rows;
  for (auto it = curtain.begin(); it != curtain.end(); ++it) {
    const json::Value& details = it.value();
    json::Value process_name = process_name_for(ctx.process_map, it.key());
    const json::Value& events = json::get(details, "events");
    if (events.is_array()) {
      for (const auto& event : events) {
        if (!event.is_object()) continue;
        // Each event is {"<sequence number>": {"original", "altered"}}.
        for (auto cmd = event.begin(); cmd != event.end(); ++cmd) {
          const json::Value& command = cmd.value();
          if (!command.is_object()) continue;
          const json::Value& altered = json::get(command, "altered");
          json::Value row = json::Value::object();
          row["process_name"] = process_name;
          row["original"] = json::get(command, "original");
          bool unchanged = altered.is_string() && altered.get_ref<const std::string&>() == kNoAlteration;
          row["reformatted"] = unchanged ? json::Value() : altered;
          rows.push_back(std::move(row));
        }
      }
    }
    const json::Value& behaviors = json::get(details, "behaviors");
    // The reference tags behaviours without the safelist.
    if (behaviors.is_array() && !behaviors.empty()) add_tag(*section, "file.behavior", behaviors);
  }
  if (rows.empty()) return;
  for (auto& row : rows) section->add_row(std::move(row));
  parent.add_child(std::move(section));
}

}  // namespace alcape::analysis
