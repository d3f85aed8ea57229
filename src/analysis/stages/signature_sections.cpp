#include "analysis/stages/signature_sections.hpp"

#include "analysis/ontology/ids.hpp"
#include "analysis/ontology/sandbox_validation.hpp"
#include "analysis/stages/pystr.hpp"
#include "analysis/stages/signature_catalog.hpp"
#include "analysis/stages/signature_marks.hpp"
#include "analysis/stages/signature_text.hpp"
#include "analysis/stages/signatures.hpp"
#include "analysis/tagging/tag_helper.hpp"
#include "result/heuristic_catalog.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace alcape::analysis {

namespace {

constexpr std::string_view kSignatureType = "CUCKOO";
constexpr std::string_view kClassification = "TLP:C";
constexpr std::string_view kNoDescription = "No description for signature.";

std::optional<int64_t> integer_pid(const json::Value& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d == static_cast<double>(static_cast<int64_t>(d))) return static_cast<int64_t>(d);
  }
  return std::nullopt;
}

json::Value description_of(const json::Value& sig) {
  const json::Value* d = json::find(sig, "description");
  return d ? *d : json::Value(std::string(kNoDescription));
}

// "\tFamilies: a,b" part, family tags and ontology families; CAPE's catch-all family "generic" is skipped.
void add_families(SignatureBuild& build, const json::Value& families, const ontology::SignaturePtr& osig) {
  std::vector<std::string> kept;
  for (const auto& f : families)
    if (f.is_string() && f.get_ref<const std::string&>() != "generic") kept.push_back(f.get<std::string>());
  if (kept.empty()) return;
  std::string line = "\tFamilies: ";
  json::Value tag_values = json::Value::array();
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i) line += ',';
    line += result::safe_str(kept[i]);
    tag_values.push_back(kept[i]);
  }
  build.add_part(result::BodyFormat::Text, line);
  add_tag(build.section(), "dynamic.signature.family", tag_values);
  if (osig) osig->set_malware_families(kept);
}

// Walks the marks: call marks give attributes and pids, data marks give KEY_VALUE parts (10 at most, then a
// note on how many were left out). Returns the pids of the call marks.
json::Value add_marks(SignatureBuild& build, const json::Value& data, const std::optional<std::string>& action) {
  json::Value pids = json::Value::array();
  int marks_shown = 0;
  int calls_seen = 0;
  bool note_added = false;
  for (const auto& mark : data) {
    if (marks_shown >= kMaxDisplayedMarks && !note_added) {
      const int64_t left = static_cast<int64_t>(data.size()) - marks_shown - calls_seen;
      build.add_part(result::BodyFormat::Text, fmt::format("There were {} more marks that were not displayed.", left));
      note_added = true;
    }
    if (is_call_mark(mark)) {
      ++calls_seen;
      const json::Value& pid = json::get(mark, "pid");
      build.add_call_attribute(integer_pid(pid), action);
      if (json::truthy(pid) && std::find(pids.begin(), pids.end(), pid) == pids.end()) pids.push_back(pid);
      continue;
    }
    json::Value body = render_data_mark(build, mark, marks_shown);
    if (!body.empty()) {
      build.add_part(result::BodyFormat::KeyValue, std::move(body));
      ++marks_shown;
    }
  }
  return pids;
}

// The signature's source for the Processes section: the last signature_map entry naming it, else CAPE.
std::string signature_source(const AnalysisContext& ctx, const std::string& name) {
  std::string source = "CAPE";
  if (!ctx.params.signature_map.is_object()) return source;
  for (const auto& info : ctx.params.signature_map) {
    auto n = json::get_string(info, "name");
    auto s = json::get_string(info, "source");
    if (n && s && *n == name) source = *s;
  }
  return source;
}

// The signature as the Processes (SANDBOX) section lists it.
json::Value sandbox_signature(const AnalysisContext& ctx, const ontology::Signature& osig, const json::Value& sig,
                              const json::Value& pids) {
  json::Value out = osig.as_primitives();
  out.erase("objectid");
  out.erase("attributes");
  json::Value data = json::Value::array();
  for (const auto& mark : json::get(sig, "data")) {
    auto type = json::find(mark, "type");
    if (!type || *type != "call") data.push_back(mark);
  }
  out["data"] = std::move(data);
  out["score"] = json::get(sig, "score");
  out["pid"] = pids.empty() ? json::Value() : pids;
  json::Value description = description_of(sig);
  // The section's schema rejects descriptions over 256 characters, which drops the whole signature from the
  // Processes section in the reference (§10.27); the description is shortened instead.
  if (description.is_string() &&
      py::length(description.get_ref<const std::string&>()) > kMaxSandboxDescriptionLength)
    description = py_truncate(description.get_ref<const std::string&>(), kMaxSandboxDescriptionLength - 3);
  out["description"] = std::move(description);
  out["sources"] = json::Value::array({signature_source(ctx, osig.name)});
  return out;
}

ontology::SignaturePtr create_ontology_signature(AnalysisContext& ctx, const std::string& name, int64_t score) {
  json::Value id_data = json::Value::object();
  id_data["name"] = name;
  id_data["type"] = kSignatureType;
  id_data["classification"] = kClassification;
  ontology::ObjectIDFields fields;
  if (!ctx.ontology.sandboxes().empty() && ctx.ontology.sandboxes().back()->objectid)
    fields.session = ctx.ontology.sandboxes().back()->objectid->session;
  auto objectid = ctx.ontology.create_objectid(ontology::signature_tag(id_data), ontology::signature_oid(id_data),
                                               std::move(fields));
  if (!objectid) return nullptr;
  return ctx.ontology.create_signature(objectid, name, std::string(kSignatureType), std::string(kClassification),
                                       score);
}

void add_signature(AnalysisContext& ctx, const json::Value& sig, result::Section& signatures_section) {
  auto name_opt = json::get_string(sig, "name");
  if (!name_opt) return;
  const std::string& name = *name_opt;
  const int64_t score = json::get_int(sig, "score").value_or(0);

  ontology::SignaturePtr osig = create_ontology_signature(ctx, name, score);
  auto section = std::make_unique<result::Section>("Signature: " + name, result::BodyFormat::Multi);
  SignatureBuild build(ctx, *section);
  build.add_part(result::BodyFormat::Text, description_of(sig));

  result::Heuristic& heuristic = section->set_heuristic(signature_heuristic_id(name));
  heuristic.add_signature_id(name, static_cast<int>(score));
  // CAPE's own ATT&CK ids are not used (as in the reference): the category heuristic's ids go to the ontology.
  if (osig)
    for (const auto& attack_id : result::HeuristicCatalog::builtin().attack_ids(heuristic))
      osig->add_attack_id(attack_id);

  add_families(build, json::get(sig, "families"), osig);
  json::Value pids = add_marks(build, json::get(sig, "data"), signature_attribute_action(name));

  if (auto table = build.take_ioc_table(); table && json::truthy(table->data)) section->add_child(std::move(table));

  if (osig) {
    for (const auto& pending : build.attributes()) {
      if (!pending.process || !pending.process->objectid) continue;
      ontology::Attribute fields;
      fields.action = pending.action;
      fields.uri = pending.uri;
      if (auto attribute = ontology::Ontology::create_attribute(pending.process->objectid, fields))
        osig->add_attribute(attribute);
    }
    ctx.ontology.add_signature(osig);
  }
  signatures_section.add_child(std::move(section));

  if (osig) {
    auto valid = ontology::validate_sandbox_event(sandbox_signature(ctx, *osig, sig, pids),
                                                  ontology::SandboxEventKind::Signature);
    if (valid) {
      json::Value& list = ctx.process_events["signatures"];
      if (!list.is_array()) list = json::Value::array();
      list.push_back(std::move(*valid));
    }
  }
}

}  // namespace

void add_signature_sections(AnalysisContext& ctx, result::Section& signatures_section) {
  if (!ctx.signatures.is_array()) return;
  for (const auto& sig : ctx.signatures) add_signature(ctx, sig, signatures_section);
}

}  // namespace alcape::analysis
