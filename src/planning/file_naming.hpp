// The name under which the submitted file is sent to CAPE (reference-behaviour.md §1.1 step 5): MIME-decoded,
// illegal characters removed, extension chosen from the Assemblyline file type. CAPE picks its analysis package
// from the extension, so a file without a usable extension is not submitted — with a reason the analyst sees.
#pragma once

#include "core/status.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace alcape::planning {

// "=?utf-8?B?...?=" / "=?iso-8859-1?Q?...?=" → UTF-8 text; nullopt when `name` is not one encoded word or
// cannot be decoded (the caller then uses a fallback name).
std::optional<std::string> decode_mime_encoded_name(std::string_view name);

// Drops every one of <>:"/\|?* and control characters, then leading white space.
std::string remove_illegal_characters(std::string_view name);

// The extension (with the dot) of an Assemblyline type per assemblyline-base's identify_defaults
// `type_to_extension` (data/al_type_to_extension.json); nullopt when the type has none.
std::optional<std::string> extension_for_type(std::string_view al_file_type);

// The reference's SUPPORTED_EXTENSIONS (without the dot, lower case; matched case-sensitively like the reference).
bool is_supported_extension(std::string_view extension);

struct SubmissionName {
  std::string name;       // the file name to send to CAPE
  bool renamed = false;   // the extension was replaced or added from the file type
};

// Basename → MIME decoding (fallback "sample" when undecodable) → illegal characters → extension.
// Error kInvalidInput ("not submittable") names the file, its type and why no extension could be chosen.
StatusOr<SubmissionName> submission_file_name(std::string_view submitted_name, std::string_view al_file_type);

// Title and text of the section shown when the file cannot be submitted (deviation: the reference returns an
// empty result silently).
inline constexpr const char* kNotSubmittableTitle = "File Not Submitted To CAPE";

}  // namespace alcape::planning
