// process_signatures: noise removal, dropped signatures, severity scores, false-positive filter (§4.3).
#pragma once

#include "analysis/context.hpp"
#include "json/value.hpp"
#include "result/section.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis {

// Fills ctx.signatures with the signatures worth reporting, as the reference's process_signatures dicts
// ({name, description, categories, families, references, type, classification, score, data}); null when the
// report has no signatures.
void filter_signatures(AnalysisContext& ctx);

// SCORE_TRANSLATION of a CAPE severity. Out-of-range severities are clamped to 0..8 and a missing or
// non-numeric one counts as CAPE's default severity 1 (the reference raises KeyError on both).
int severity_to_score(const json::Value& severity);

// _is_mark_call: a mark whose keys are all among type/pid/cid/call (an empty mark counts as a call, as there).
bool is_call_mark(const json::Value& mark);

// A mark item the reference neither displays nor tags: a falsy value or the hidden key data_being_encrypted.
bool is_hidden_mark_item(std::string_view key, const json::Value& value);

}  // namespace alcape::analysis
