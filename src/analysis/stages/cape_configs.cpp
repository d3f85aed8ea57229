#include "analysis/stages/cape_configs.hpp"

#include <memory>

namespace alcape::analysis {
namespace {

void collect_payloads(const json::Value& payloads, json::Value& out) {
  if (!payloads.is_array()) return;
  for (const auto& payload : payloads) {
    // A payload without its hash cannot be matched to an extracted file.
    if (!json::get(payload, "sha256").is_string()) continue;
    json::Value item = json::Value::object();
    item["sha256"] = json::get(payload, "sha256");
    item["pid"] = json::get(payload, "pid");
    item["is_yara_hit"] = json::truthy(json::get(payload, "cape_yara"));
    out.push_back(std::move(item));
  }
}

// One "<family> Config" table per family of one config dict; "_"-prefixed keys are CAPE's metadata.
void add_config_tables(const json::Value& configuration, result::Section& configs_section) {
  if (!configuration.is_object()) return;
  for (auto it = configuration.begin(); it != configuration.end(); ++it) {
    if (!it.key().empty() && it.key()[0] == '_') continue;
    if (!it.value().is_object()) continue;
    auto& table = configs_section.add_child(it.key() + " Config", result::BodyFormat::Table);
    table.set_column_order({"type", "config_value"});
    for (auto kv = it.value().begin(); kv != it.value().end(); ++kv) {
      json::Value row = json::Value::object();
      row["type"] = kv.key();
      row["config_value"] = kv.value();
      table.add_row(std::move(row));
    }
  }
}

}  // namespace

void process_cape(AnalysisContext& ctx, result::Section& parent) {
  const json::Value& cape = ctx.report.cape;
  if (!cape.is_object() || cape.empty()) return;
  collect_payloads(json::get(cape, "payloads"), ctx.cape_artifact_pids);

  const json::Value& configs = json::get(cape, "configs");
  if (!configs.is_array() || configs.empty()) return;
  // The reference scores any extracted config as malware, even one with only metadata keys.
  auto& section = parent.add_child(std::string(kConfigExtractSectionTitle));
  section.set_heuristic(38).add_signature_id("config_extracted", 1000);
  for (const auto& configuration : configs) add_config_tables(configuration, section);
}

}  // namespace alcape::analysis
