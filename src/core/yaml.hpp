// YAML documents as JSON values, on libyaml (the C parser behind PyYAML).
//
// Why not yaml-cpp: when al-cape used it (until 94731f4, measured with callgrind there), loading its tables
// (heuristics, safelists, API list: ~50 KB) took ~100 M instructions, half of a whole `al-cape report` run.
// Plain scalars are resolved as PyYAML's SafeLoader does (YAML 1.1: null/~, true/yes/on, false/no/off, ints in
// decimal/0x/0o/0b, floats, .inf/.nan), because the reference service and Assemblyline read these files with
// PyYAML. Quoted scalars and scalars tagged !!str stay strings.
#pragma once

#include "core/status.hpp"
#include "json/value.hpp"

#include <string_view>

namespace alcape::yaml {

struct ParseOptions {
  bool scalars_as_strings = false;  // every non-null scalar as its text (safelists: values are tag strings)
  int max_depth = 64;               // deeper nesting is refused (kTooDeep)
};

// The first document of `text` (an empty document is null). Errors name `context` and the line/column.
StatusOr<json::Value> parse(std::string_view text, std::string_view context, const ParseOptions& options = {});

// Loads and parses a file.
StatusOr<json::Value> parse_file(const std::string& path, const ParseOptions& options = {});

// PyYAML's resolution of one plain (unquoted) scalar.
json::Value resolve_plain_scalar(std::string_view text);

}  // namespace alcape::yaml
