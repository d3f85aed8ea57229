#include "analysis/stages/signature_catalog.hpp"

#include "data/embedded.hpp"
#include "json/value.hpp"

namespace alcape::analysis {

namespace {

const json::Value& table() {
  static const json::Value t = json::Value::parse(data::file("signature_categories.json"));
  return t;
}

const json::Value* lookup(std::string_view section, std::string_view key) {
  return json::find(json::get(table(), section), key);
}

}  // namespace

std::optional<std::string> signature_category(std::string_view signature_name) {
  const json::Value* c = lookup("CAPE_SIGNATURES", signature_name);
  if (!c || !c->is_string()) return std::nullopt;
  return c->get<std::string>();
}

int signature_heuristic_id(std::string_view signature_name) {
  auto category = signature_category(signature_name);
  if (!category) return kUnknownSignatureHeuristic;
  auto id = json::get_int(json::get(json::get(table(), "CAPE_SIGNATURE_CATEGORIES"), *category), "id");
  return id ? static_cast<int>(*id) : kUnknownSignatureHeuristic;
}

bool is_dropped_signature(std::string_view signature_name) {
  for (const auto& name : json::get(table(), "CAPE_DROPPED_SIGNATURES"))
    if (name.is_string() && name.get_ref<const std::string&>() == signature_name) return true;
  return false;
}

std::optional<std::string> signature_attribute_action(std::string_view signature_name) {
  const json::Value* a = lookup("SIGNATURE_TO_ATTRIBUTE_ACTION_MAP", signature_name);
  if (!a || !a->is_string()) return std::nullopt;
  return a->get<std::string>();
}

}  // namespace alcape::analysis
