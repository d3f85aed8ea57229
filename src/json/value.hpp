// The generic JSON value used for report fragments and result bodies.
//
// nlohmann's ordered_json keeps object keys in insertion order, which is what Python dicts do and what the
// reference's output depends on (section bodies are json.dumps of dicts). It is used for small documents only;
// the large parts of a report are read with simdjson into compact types (see report/).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alcape::json {

using Value = nlohmann::ordered_json;

// Tolerant accessors: the analysis treats every report field as possibly missing, null or of another type.
// They never throw.
inline const Value* find(const Value& v, std::string_view key) {
  if (!v.is_object()) return nullptr;
  auto it = v.find(key);
  return it == v.end() ? nullptr : &*it;
}

inline bool has(const Value& v, std::string_view key) { return find(v, key) != nullptr; }

// Python truthiness of a JSON value: null, false, 0, "", [] and {} are falsy.
inline bool truthy(const Value& v) {
  switch (v.type()) {
    case Value::value_t::null: return false;
    case Value::value_t::boolean: return v.get<bool>();
    case Value::value_t::number_integer: return v.get<int64_t>() != 0;
    case Value::value_t::number_unsigned: return v.get<uint64_t>() != 0;
    case Value::value_t::number_float: return v.get<double>() != 0.0;
    case Value::value_t::string: return !v.get_ref<const std::string&>().empty();
    case Value::value_t::array:
    case Value::value_t::object: return !v.empty();
    default: return false;
  }
}

inline std::optional<std::string> get_string(const Value& v, std::string_view key) {
  const Value* f = find(v, key);
  if (!f || !f->is_string()) return std::nullopt;
  return f->get<std::string>();
}

inline std::string get_string_or(const Value& v, std::string_view key, std::string fallback) {
  auto s = get_string(v, key);
  return s ? *s : std::move(fallback);
}

// Integer value of a field; numbers only (no string conversion), floats truncated like Python int().
inline std::optional<int64_t> get_int(const Value& v, std::string_view key) {
  const Value* f = find(v, key);
  if (!f) return std::nullopt;
  if (f->is_number_integer()) return f->get<int64_t>();
  if (f->is_number_float()) return static_cast<int64_t>(f->get<double>());
  return std::nullopt;
}

inline const Value& null_value() {
  static const Value kNull;
  return kNull;
}

// Returns the field or a null value: convenient for chaining (get(get(v, "a"), "b")).
inline const Value& get(const Value& v, std::string_view key) {
  const Value* f = find(v, key);
  return f ? *f : null_value();
}

}  // namespace alcape::json
