// What the service knows about CAPE signatures (the reference's cape/signatures.py at ddc, embedded as
// data/signature_categories.json): the category of each signature, the heuristic of each category, the
// signatures ignored completely and the ontology attribute action of a few signatures.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace alcape::analysis {

// Heuristic raised for a signature whose category has no heuristic (unknown signatures, and the Escalation
// and Recon categories, which the ddc category table lacks: reference-behaviour.md §4.2).
inline constexpr int kUnknownSignatureHeuristic = 9999;

// get_category_id: the heuristic id of the signature's category, or kUnknownSignatureHeuristic.
int signature_heuristic_id(std::string_view signature_name);

// CAPE_SIGNATURES: the signature's category name, if the service knows the signature.
std::optional<std::string> signature_category(std::string_view signature_name);

// CAPE_DROPPED_SIGNATURES: signatures the service ignores (noise).
bool is_dropped_signature(std::string_view signature_name);

// SIGNATURE_TO_ATTRIBUTE_ACTION_MAP: the ontology attribute action for the signature's call marks.
std::optional<std::string> signature_attribute_action(std::string_view signature_name);

}  // namespace alcape::analysis
