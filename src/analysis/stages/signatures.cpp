#include "analysis/stages/signatures.hpp"

#include "analysis/stages/signature_catalog.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace alcape::analysis {

namespace {

constexpr std::array<int, 9> kScoreBySeverity = {0, 10, 30, 50, 500, 750, 1000, 1000, 1000};
constexpr int kDefaultSeverity = 1;  // CAPE's Signature.severity default

bool has_signature_named(const json::Value& sigs, std::string_view name) {
  for (const auto& s : sigs) {
    auto n = json::get_string(s, "name");
    if (n && *n == name) return true;
  }
  return false;
}

// The reference drops a signature when its "false positive" items equal its data marks in number; it counts
// items, not marks, so one hidden item could drop a mark that also has a displayable one. Here a signature is
// dropped only when it has data marks and none of them has anything to show (docs/deviations.md (signatures)).
bool only_hidden_marks(const json::Value& data) {
  size_t data_marks = 0, hidden_marks = 0;
  for (const auto& mark : data) {
    if (is_call_mark(mark)) continue;
    ++data_marks;
    bool shows_something = false;
    for (auto it = mark.begin(); it != mark.end(); ++it)
      if (!is_hidden_mark_item(it.key(), it.value())) shows_something = true;
    if (!shows_something) ++hidden_marks;
  }
  return hidden_marks > 0 && hidden_marks == data_marks;
}

// Marks that are not JSON objects have no keys to show or tag (the reference raises on them): left out.
json::Value object_marks(const json::Value& sig) {
  json::Value data = json::Value::array();
  for (const auto& mark : json::get(sig, "data"))
    if (mark.is_object()) data.push_back(mark);
  return data;
}

json::Value list_or_empty(const json::Value& sig, std::string_view key) {
  const json::Value& v = json::get(sig, key);
  return v.is_array() ? v : json::Value::array();
}

}  // namespace

int severity_to_score(const json::Value& severity) {
  int64_t level = kDefaultSeverity;
  if (severity.is_boolean()) level = severity.get<bool>() ? 1 : 0;
  else if (severity.is_number_integer()) level = severity.get<int64_t>();
  else if (severity.is_number_unsigned()) level = static_cast<int64_t>(std::min<uint64_t>(severity.get<uint64_t>(), 8));
  else if (severity.is_number_float() && std::isfinite(severity.get<double>()))
    level = static_cast<int64_t>(std::clamp(std::floor(severity.get<double>()), -1.0, 9.0));
  level = std::clamp<int64_t>(level, 0, 8);
  return kScoreBySeverity[static_cast<size_t>(level)];
}

bool is_call_mark(const json::Value& mark) {
  if (!mark.is_object()) return false;
  for (auto it = mark.begin(); it != mark.end(); ++it) {
    const std::string& k = it.key();
    if (k != "type" && k != "pid" && k != "cid" && k != "call") return false;
  }
  return true;
}

bool is_hidden_mark_item(std::string_view key, const json::Value& value) {
  return !json::truthy(value) || key == "data_being_encrypted";
}

void filter_signatures(AnalysisContext& ctx) {
  const json::Value& sigs = ctx.report.signatures;
  ctx.signatures = nullptr;
  if (!sigs.is_array() || sigs.empty()) return;

  // network_http always accompanies network_cnc_http and only adds noise then.
  const bool drop_network_http = has_signature_named(sigs, "network_cnc_http");

  ctx.signatures = json::Value::array();
  for (const auto& sig : sigs) {
    auto name = json::get_string(sig, "name");
    if (!name) continue;
    if (drop_network_http && *name == "network_http") continue;
    if (is_dropped_signature(*name)) continue;

    json::Value data = object_marks(sig);
    if (only_hidden_marks(data)) continue;

    json::Value out = json::Value::object();
    out["name"] = *name;
    if (const json::Value* d = json::find(sig, "description")) out["description"] = *d;
    out["categories"] = list_or_empty(sig, "categories");
    out["families"] = list_or_empty(sig, "families");
    out["references"] = list_or_empty(sig, "references");
    out["type"] = "CUCKOO";
    out["classification"] = "TLP:C";
    out["score"] = severity_to_score(json::get(sig, "severity"));
    out["data"] = std::move(data);
    ctx.signatures.push_back(std::move(out));
  }
}

}  // namespace alcape::analysis
