#include "analysis/analyze.hpp"

#include "analysis/context.hpp"
#include "analysis/stages/behavior.hpp"
#include "analysis/stages/buffers.hpp"
#include "analysis/stages/cape_configs.hpp"
#include "analysis/stages/commands.hpp"
#include "analysis/stages/curtain.hpp"
#include "analysis/stages/debug.hpp"
#include "analysis/stages/hollowshunter.hpp"
#include "analysis/stages/info.hpp"
#include "analysis/stages/machine_info.hpp"
#include "analysis/stages/network_map.hpp"
#include "analysis/stages/process_map.hpp"
#include "analysis/stages/report_notices.hpp"
#include "analysis/stages/sandbox.hpp"
#include "analysis/stages/signatures.hpp"
#include "analysis/stages/sysmon.hpp"

namespace alcape::analysis {

report::ReadOptions analysis_read_options() {
  report::ReadOptions o;
  o.keep_call = [](std::string_view api) { return is_api_of_interest(api); };
  o.keep_sysmon_event = [](int id) { return is_sysmon_event_of_interest(id); };
  o.keep_sysmon_field = [](std::string_view name) { return is_sysmon_field_of_interest(name); };
  return o;
}

namespace {

bool any_signature_name_contains(const json::Value& sigs, std::string_view needle) {
  if (!sigs.is_array()) return false;
  for (const auto& s : sigs) {
    auto name = json::get_string(s, "name");
    if (name && name->find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

// The stage order is the reference's generate_al_result (reference-behaviour.md §5.2); each stage decides on its
// own whether its part of the report is usable.
AnalysisOutput analyze_report(const report::Report& report, const ParserParams& params, result::Section& parent) {
  AnalysisContext ctx(report, params);
  AnalysisOutput out;

  process_info(ctx, parent);
  // Ransomware breaks CAPE's analysis modules; its analysis errors are noise (reference behaviour).
  if (json::truthy(report.debug) && !any_signature_name_contains(report.signatures, "ransomware"))
    process_debug(ctx, parent);
  build_process_map(ctx);
  parse_sysmon(ctx);
  process_behavior(ctx, parent);
  build_network_map(ctx);
  filter_signatures(ctx);
  extract_commands(ctx, out.powershell_commands, out.batch_commands);
  build_sandbox_sections(ctx, parent);
  process_curtain(ctx, parent);
  process_hollowshunter(ctx, parent);
  process_buffers(ctx, parent);
  process_cape(ctx, parent);
  process_machine_info(ctx);
  add_report_notices(ctx, parent);  // al-cape only: what the reader repaired (none on clean reports)

  out.process_events = std::move(ctx.process_events);
  // The harness dumps the ontology after preprocess_ontology with the safe tree ids (reference main()).
  ctx.ontology.preprocess_ontology(ontology::processtree_id_safelist(params.custom_processtree_id_safelist));
  out.ontology = ctx.ontology.as_primitives();
  out.cape_artifact_pids = std::move(ctx.cape_artifact_pids);
  out.main_process_tuples = std::move(ctx.main_process_tuples);
  return out;
}

}  // namespace alcape::analysis
