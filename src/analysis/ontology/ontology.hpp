// PLACEHOLDER: the sandbox ontology (the reference's OntologyResults and its object classes from
// assemblyline_service_utilities.common.dynamic_service_helper). The ontology helper replaces this header.
#pragma once

#include "json/value.hpp"

namespace alcape::analysis::ontology {

class Ontology {
 public:
  // The ontology after preprocessing, as result_ontology.json holds it.
  json::Value as_primitives() const { return json::Value::object(); }
};

}  // namespace alcape::analysis::ontology
