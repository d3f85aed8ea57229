// One-time preparation of the analysis: compiling the Assemblyline validator patterns, the safelist patterns
// and the ontology schemas, and parsing the embedded tables. Each is done on first use anyway (thread-safe);
// calling warm_up on a second thread while the report is being read takes that work off the critical path of
// a single-report process (`al-cape report`, the first task of a service).
#pragma once

#include "analysis/params.hpp"

namespace alcape::analysis {

void warm_up(const ParserParams& params);

}  // namespace alcape::analysis
