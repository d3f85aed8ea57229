#include "analysis/stages/hollowshunter.hpp"

#include "analysis/stages/pid_key.hpp"
#include "analysis/stages/py_repr.hpp"

#include <memory>

namespace alcape::analysis {
namespace {

// scanned.modified.implanted_pe as a number; 0 when any level is missing or not numeric.
double announced_implanted_pes(const json::Value& details) {
  const json::Value& n = json::get(json::get(json::get(details, "scanned"), "modified"), "implanted_pe");
  if (n.is_boolean()) return n.get<bool>() ? 1.0 : 0.0;  // Python compares True as 1
  return n.is_number() ? n.get<double>() : 0.0;
}

}  // namespace

void process_hollowshunter(AnalysisContext& ctx, result::Section& parent) {
  const json::Value& hh = ctx.report.hollowshunter;
  if (!hh.is_object() || hh.empty()) return;

  auto section = std::make_unique<result::Section>("HollowsHunter Analysis", result::BodyFormat::Table);
  section->set_column_order({"Process", "Indicator", "Description"});
  std::vector<json::Value> rows;
  for (auto it = hh.begin(); it != hh.end(); ++it) {
    const json::Value& details = it.value();
    double announced = announced_implanted_pes(details);
    if (!(announced > 0)) continue;
    json::Value modules = json::Value::array();
    const json::Value& scans = json::get(details, "scans");
    if (scans.is_array()) {
      for (const auto& scan : scans) {
        const json::Value* ws = json::find(scan, "workingset_scan");
        if (!ws || !json::truthy(json::get(*ws, "has_pe"))) continue;
        modules.push_back(json::get(*ws, "module"));
      }
    }
    // Only a report whose every announced implant was seen is trusted (the reference's rule).
    if (announced != static_cast<double>(modules.size())) continue;
    const json::Value* entry = find_process_by_pid_text(ctx.process_map, it.key());
    json::Value row = json::Value::object();
    row["Process"] = py_str(entry ? json::get(*entry, "name") : json::Value()) + " (" + it.key() + ")";
    row["Indicator"] = "Implanted PE";
    row["Description"] = "Modules found: " + py_repr(modules);
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return;
  for (auto& row : rows) section->add_row(std::move(row));
  parent.add_child(std::move(section));
}

}  // namespace alcape::analysis
