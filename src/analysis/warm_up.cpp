#include "analysis/warm_up.hpp"

#include "analysis/ontology/sandbox_validation.hpp"
#include "analysis/stages/signature_catalog.hpp"
#include "analysis/tagging/al_regex.hpp"
#include "analysis/tagging/safelist.hpp"

#include <exception>
#include <string_view>

namespace alcape::analysis {

void warm_up(const ParserParams& params) try {
  // Ordered by how early the analysis needs them: signatures come first, the ontology last.
  is_dropped_signature("");
  if (params.safelist)
    for (const auto& [tag, patterns] : params.safelist->data().regex)
      // A sandbox report is tagged with dynamic types; the static ones are looked up once, if ever.
      if (!std::string_view(tag).starts_with("network.static.")) params.safelist->prepare(tag);
  // The validator patterns the analysis uses (the others would only lengthen this thread).
  for (AlRegex r : {AlRegex::DOMAIN_REGEX, AlRegex::IP_REGEX, AlRegex::URI_PATH, AlRegex::FULL_URI,
                    AlRegex::URI_REGEX, AlRegex::DOMAIN_ONLY_REGEX, AlRegex::IP_ONLY_REGEX, AlRegex::IPV4_REGEX})
    al_regex(r);
  ontology::prepare_sandbox_validation();
} catch (const std::exception&) {
  // A table that cannot be prepared fails again on its first use, where the analysis reports it.
}

}  // namespace alcape::analysis
