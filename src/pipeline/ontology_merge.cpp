#include "pipeline/ontology_merge.hpp"

namespace alcape::pipeline {

void merge_ontology(json::Value& into, const json::Value& from) {
  if (!from.is_object()) return;
  if (!into.is_object() || into.empty()) {
    into = from;
    return;
  }
  for (auto it = from.begin(); it != from.end(); ++it) {
    if (!into.contains(it.key())) {
      into[it.key()] = it.value();
      continue;
    }
    json::Value& list = into[it.key()];
    if (!list.is_array() || !it.value().is_array()) continue;  // scalars: the first task's value stays
    for (const auto& item : it.value()) list.push_back(item);
  }
}

}  // namespace alcape::pipeline
