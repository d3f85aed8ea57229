// The library's update_object_items rule, shared by the ontology's object updates: a value that is absent or ""
// is ignored, and a field is only written while it is unset ("", None, [], or a MIN/MAX time placeholder).
#pragma once

#include "analysis/ontology/ontology.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace alcape::analysis::ontology {

bool is_unset(const std::optional<std::string>& v);
void fill(std::optional<std::string>& field, const std::optional<std::string>& value);
void fill(std::optional<int64_t>& field, const std::optional<int64_t>& value);
void fill(std::optional<std::vector<std::string>>& field, const std::optional<std::vector<std::string>>& value);
void fill_objectid(ObjectID& o, const ObjectID& values);
// Process.update(**fields) without the objectid keys.
void update_process_fields(Process& p, const ProcessFields& f);
// uuid.UUID(guid) formatted as "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}", or nullopt when it is not a UUID.
std::optional<std::string> normalise_guid(std::string_view guid);

}  // namespace alcape::analysis::ontology
