// A small re-implementation of the parts of Cerberus 1.3 that validate_sandbox_event uses: purge_unknown and
// int coercion during normalisation, then the rules type, required, nullable, empty, allowed, regex (re.match of
// pattern + "$"), anyof_regex, min/max, maxlength, check_with (time format) and nested schemas, with Cerberus'
// rule order and "drop remaining rules" effects. Quirks of the reference's schemas are kept on purpose:
//  * check_with still runs on None, so a null time is invalid even where the field is nullable;
//  * the header dicts of http_details have a rules set as mapping schema, which fails every dict;
//  * MAX_PORT_NUMBER is a tuple, so ports have no upper bound (Cerberus swallows the comparison error);
//  * bool is an integer (Python's bool is an int).
#include "analysis/ontology/sandbox_validation.hpp"

#include "analysis/ontology/times.hpp"
#include "analysis/tagging/al_regex.hpp"
#include "analysis/tagging/py_regex.hpp"

#include <cctype>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace alcape::analysis::ontology {

namespace {

enum class Type { Any, String, Integer, Boolean, List, Dict };

struct Rules;
using Schema = std::vector<std::pair<std::string, Rules>>;

struct Rules {
  Type type = Type::Any;
  bool required = false;
  bool nullable = false;
  std::optional<bool> empty;
  bool coerce_int = false;
  std::optional<int64_t> min, max;
  std::optional<size_t> maxlength;
  std::vector<std::string> allowed;
  std::vector<const pyre::Regex*> regexes;  // regex (one) or anyof_regex (several): any must match
  bool check_time = false;
  std::shared_ptr<Schema> mapping_schema;    // dict value: nested schema
  std::shared_ptr<Rules> item_rules;         // list value: rules of each item
  bool malformed_mapping_schema = false;     // dict value: a rules set given as mapping schema (always fails)
};

// --- Python regexes ---

// Cerberus' regex rule: re.compile(pattern + "$" unless it ends with "$").match(value). The patterns come from
// Assemblyline's validators, so the compiled ones are shared with the tag validation (tagging/al_regex.hpp):
// re.match(X + "$") is Assemblyline's X_ONLY pattern ("^" + X + "$") or X itself when X ends with "$".
const pyre::Regex* cerberus_regex(std::vector<std::unique_ptr<pyre::Regex>>& owned, std::string pattern) {
  if (pattern.empty() || pattern.back() != '$') pattern += '$';
  owned.push_back(std::make_unique<pyre::Regex>(pattern));
  return owned.back().get();
}

// --- Python value semantics ---

// Python len(v) == 0 for the sized types (nlohmann's empty() is false for every string).
bool is_empty_sized(const json::Value& v) {
  if (v.is_string()) return v.get_ref<const std::string&>().empty();
  return (v.is_array() || v.is_object()) && v.empty();
}

bool type_ok(Type t, const json::Value& v) {
  switch (t) {
    case Type::Any: return true;
    case Type::String: return v.is_string();
    case Type::Integer: return v.is_number_integer() || v.is_boolean();
    case Type::Boolean: return v.is_boolean();
    case Type::List: return v.is_array();
    case Type::Dict: return v.is_object();
  }
  return false;
}

// Python int(value); nullopt when it raises.
std::optional<json::Value> py_int(const json::Value& v) {
  if (v.is_boolean()) return json::Value(v.get<bool>() ? 1 : 0);
  if (v.is_number_integer()) return v;
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (!std::isfinite(d) || std::fabs(d) > 9.2e18) return std::nullopt;
    return json::Value(static_cast<int64_t>(d));
  }
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    bool neg = false;
    if (b < e && (s[b] == '+' || s[b] == '-')) neg = s[b++] == '-';
    if (b == e) return std::nullopt;
    int64_t n = 0;
    bool prev_digit = false;
    for (size_t i = b; i < e; ++i) {
      if (s[i] == '_' && prev_digit && i + 1 < e && std::isdigit(static_cast<unsigned char>(s[i + 1]))) {
        prev_digit = false;
        continue;
      }
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
      if (n > (INT64_MAX - 9) / 10) return std::nullopt;
      n = n * 10 + (s[i] - '0');
      prev_digit = true;
    }
    return json::Value(neg ? -n : n);
  }
  return std::nullopt;
}

// Python ==, as `in` and same_dictionaries use it (1 == True == 1.0; dicts ignore key order).
bool py_eq(const json::Value& a, const json::Value& b) {
  auto numeric = [](const json::Value& v) { return v.is_number() || v.is_boolean(); };
  if (numeric(a) && numeric(b)) {
    auto as_double = [](const json::Value& v) { return v.is_boolean() ? (v.get<bool>() ? 1.0 : 0.0) : v.get<double>(); };
    if (a.is_number_float() || b.is_number_float()) return as_double(a) == as_double(b);
    auto as_int = [](const json::Value& v) { return v.is_boolean() ? (v.get<bool>() ? 1 : 0) : v.get<int64_t>(); };
    return as_int(a) == as_int(b);
  }
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      auto o = b.find(it.key());
      if (o == b.end() || !py_eq(it.value(), *o)) return false;
    }
    return true;
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!py_eq(a[i], b[i])) return false;
    return true;
  }
  return a == b;
}

bool py_in(const json::Value& x, const json::Value& list) {
  for (const auto& e : list)
    if (py_eq(x, e)) return true;
  return false;
}

// The reference's same_dictionaries (lists of dicts compare loosely: first dict only).
bool same_dictionaries(const json::Value& d1, const json::Value& d2) {
  if (!d1.is_object() || !d2.is_object()) {
    if (d1.is_array() && d2.is_array()) {
      if (d1.empty() && d2.empty()) return true;
      if (d1.size() != d2.size()) return false;
      for (size_t i = 0; i < d1.size(); ++i) {
        bool both_dicts = d1[i].is_object() && d2[i].is_object();
        if (!py_in(d1[i], d2) && !both_dicts) return false;
        if (both_dicts) {
          for (size_t j = 0; j < d1.size(); ++j)
            if (same_dictionaries(d1[i], d2[j])) return true;
          return false;
        }
      }
      return true;
    }
    return py_eq(d1, d2);
  }
  if (d1.size() != d2.size()) return false;
  for (auto it = d1.begin(); it != d1.end(); ++it) {
    auto o = d2.find(it.key());
    if (o == d2.end() || !same_dictionaries(it.value(), *o)) return false;
  }
  return true;
}

// --- normalisation ---

const Rules* rules_for(const Schema& schema, const std::string& key) {
  for (const auto& [k, r] : schema)
    if (k == key) return &r;
  return nullptr;
}

void normalize_value(json::Value& v, const Rules& r);

void normalize_mapping(json::Value& doc, const Schema& schema) {
  // purge_unknown
  for (auto it = doc.begin(); it != doc.end();) {
    if (!rules_for(schema, it.key())) it = doc.erase(it);
    else ++it;
  }
  for (auto it = doc.begin(); it != doc.end(); ++it) normalize_value(it.value(), *rules_for(schema, it.key()));
}

void normalize_value(json::Value& v, const Rules& r) {
  if (r.coerce_int)
    if (auto c = py_int(v)) v = std::move(*c);
  if (v.is_object() && r.mapping_schema) normalize_mapping(v, *r.mapping_schema);
  if (v.is_array() && r.item_rules)
    for (auto& item : v) normalize_value(item, *r.item_rules);
}

// --- validation ---

bool validate_mapping(const json::Value& doc, const Schema& schema);

bool validate_value(const json::Value& v, const Rules& r) {
  if (r.coerce_int && !py_int(v) && !(r.nullable && v.is_null())) return false;  // COERCION_FAILED
  if (v.is_null()) {
    if (!r.nullable) return false;
    // nullable drops every rule but check_with, which rejects a non-string.
    return !r.check_time;
  }
  if (!type_ok(r.type, v)) return false;
  bool checks_dropped = false;  // empty drops allowed, regex, check_with, maxlength
  if (r.empty && is_empty_sized(v)) {
    if (!*r.empty) return false;
    checks_dropped = true;
  }
  if (!checks_dropped) {
    if (!r.allowed.empty()) {
      auto in_allowed = [&r](const json::Value& x) {
        if (!x.is_string()) return false;
        for (const auto& a : r.allowed)
          if (a == x.get_ref<const std::string&>()) return true;
        return false;
      };
      if (v.is_array()) {
        for (const auto& x : v)
          if (!in_allowed(x)) return false;
      } else if (!in_allowed(v)) {
        return false;
      }
    }
    if (!r.regexes.empty() && v.is_string()) {
      bool any = false;
      for (const pyre::Regex* re : r.regexes) any = any || re->matches(v.get_ref<const std::string&>());
      if (!any) return false;
    }
    if (r.maxlength) {
      size_t len = 0;
      if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        for (unsigned char c : s) len += (c & 0xC0) != 0x80;  // code points
      } else if (v.is_array() || v.is_object()) {
        len = v.size();
      }
      if (len > *r.maxlength) return false;
    }
    if (r.check_time) {
      if (!v.is_string()) return false;
      const auto& s = v.get_ref<const std::string&>();
      if (s != "-" && !is_local_time_with_ms(s)) return false;
    }
  }
  if (v.is_number() || v.is_boolean()) {
    int64_t n = v.is_boolean() ? (v.get<bool>() ? 1 : 0) : v.get<int64_t>();
    if (r.min && n < *r.min) return false;
    if (r.max && n > *r.max) return false;
  }
  if (v.is_object()) {
    if (r.malformed_mapping_schema) return false;
    if (r.mapping_schema && !validate_mapping(v, *r.mapping_schema)) return false;
  }
  if (v.is_array() && r.item_rules)
    for (const auto& item : v)
      if (!validate_value(item, *r.item_rules)) return false;
  return true;
}

bool validate_mapping(const json::Value& doc, const Schema& schema) {
  for (const auto& [key, rules] : schema)
    if (rules.required && !doc.contains(key)) return false;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const Rules* r = rules_for(schema, it.key());
    if (!r) return false;  // unknown field (allow_unknown is False)
    if (!validate_value(it.value(), *r)) return false;
  }
  return true;
}

// --- the reference's schemas ---

constexpr int64_t kDwordMax = 4294967295LL;

Rules str_rule(bool required = false, bool nullable = false) {
  Rules r;
  r.type = Type::String;
  r.required = required;
  r.nullable = nullable;
  return r;
}

Rules int_rule(bool required, bool nullable, std::optional<int64_t> max = kDwordMax) {
  Rules r;
  r.type = Type::Integer;
  r.required = required;
  r.nullable = nullable;
  r.coerce_int = true;
  r.min = 0;
  r.max = max;
  return r;
}

Rules time_rule(bool required, bool nullable) {
  Rules r = str_rule(required, nullable);
  r.check_time = true;
  return r;
}

Rules string_list(bool required, bool nullable) {
  Rules r;
  r.type = Type::List;
  r.required = required;
  r.nullable = nullable;
  r.empty = true;
  r.item_rules = std::make_shared<Rules>(str_rule());
  return r;
}

Rules with(Rules r, auto&& fn) {
  fn(r);
  return r;
}

struct Schemas {
  std::vector<std::unique_ptr<pyre::Regex>> owned;  // the patterns that are not Assemblyline's own
  Schema process, signature, network_connection, analysis_information, complete;

  Schemas() {
    const pyre::Regex* ip = &al_regex(AlRegex::IP_ONLY_REGEX);
    const pyre::Regex* domain = &al_regex(AlRegex::DOMAIN_ONLY_REGEX);
    const pyre::Regex* full_uri = &al_regex(AlRegex::FULL_URI);  // ends with "$" already
    const pyre::Regex* uri_path = cerberus_regex(owned, std::string(al_regex_source(AlRegex::URI_PATH)));
    const pyre::Regex* reverse_dns = cerberus_regex(owned, 
        R"(^(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}in-addr\.arpa$)");

    process = {
        {"image", str_rule(true)},
        {"start_time", time_rule(true, false)},
        {"end_time", time_rule(false, true)},
        {"pid", int_rule(true, false)},
        {"ppid", int_rule(true, false)},
        {"command_line", with(str_rule(false, true), [](Rules& r) { r.maxlength = 1024; })},
        {"safelisted", with(Rules{}, [](Rules& r) { r.type = Type::Boolean; r.required = true; })},
        {"integrity_level",
         with(str_rule(false, true), [](Rules& r) { r.allowed = {"low", "medium", "high", "system", "appcontainer"}; })},
        {"image_hash", with(str_rule(false, true),
                            [&](Rules& r) { r.regexes = {cerberus_regex(owned, R"(^[A-Fa-f0-9]{64}$)")}; })},
        {"original_file_name", str_rule(false, true)},
        {"file_count", int_rule(false, false, std::nullopt)},
        {"registry_count", int_rule(false, false, std::nullopt)},
        {"sources", string_list(false, true)},
    };

    auto attack_schema = std::make_shared<Schema>(Schema{
        {"attack_id", str_rule(true)},
        {"pattern", str_rule(true)},
        {"categories", string_list(true, true)},
    });
    signature = {
        {"name", with(str_rule(true), [](Rules& r) { r.maxlength = 256; })},
        {"type", with(str_rule(true), [](Rules& r) { r.allowed = {"CUCKOO", "CAPE"}; })},
        {"classification", str_rule(true)},
        {"attacks", with(Rules{}, [&](Rules& r) {
           r.type = Type::List;
           r.required = true;
           r.empty = true;
           r.item_rules = std::make_shared<Rules>(with(Rules{}, [&](Rules& i) {
             i.type = Type::Dict;
             i.mapping_schema = attack_schema;
           }));
         })},
        {"actors", string_list(true, false)},
        {"malware_families", string_list(true, false)},
        {"data", with(Rules{}, [](Rules& r) {
           r.type = Type::List;
           r.required = true;
           r.empty = true;
           r.item_rules = std::make_shared<Rules>(with(Rules{}, [](Rules& i) {
             i.type = Type::Dict;
             i.empty = false;
           }));
         })},
        {"score", int_rule(true, false)},
        {"pid", with(Rules{}, [](Rules& r) {
           r.type = Type::List;
           r.required = true;
           r.nullable = true;
           r.empty = true;
           r.item_rules = std::make_shared<Rules>(int_rule(true, false));
         })},
        {"description", with(str_rule(true), [](Rules& r) {
           r.empty = true;
           r.maxlength = 256;
         })},
        {"sources", string_list(false, true)},
    };

    auto dns_schema = std::make_shared<Schema>(Schema{
        {"domain", with(str_rule(true), [&](Rules& r) { r.regexes = {domain, ip, reverse_dns}; })},
        {"resolved_ips", with(Rules{}, [](Rules& r) { r.type = Type::List; r.nullable = true; r.empty = true; })},
        {"resolved_domains", with(Rules{}, [](Rules& r) { r.type = Type::List; r.nullable = true; r.empty = true; })},
        {"lookup_type",
         with(str_rule(true), [](Rules& r) { r.allowed = {"A", "NS", "CNAME", "SOA", "PTR", "MX", "TEXT", "AAAA"}; })},
    });
    auto headers = [] {
      Rules r;
      r.type = Type::Dict;
      r.nullable = true;
      r.empty = true;
      r.malformed_mapping_schema = true;
      return r;
    };
    auto http_schema = std::make_shared<Schema>(Schema{
        {"request_uri", with(str_rule(true), [&](Rules& r) { r.regexes = {full_uri}; })},
        {"request_method", str_rule(true)},
        {"request_headers", headers()},
        {"response_headers", headers()},
        {"request_body", with(str_rule(false, true), [](Rules& r) { r.empty = true; })},
        {"response_status_code", int_rule(false, true, std::nullopt)},
        {"response_body", with(str_rule(false, true), [](Rules& r) { r.empty = true; })},
        {"request_body_path", with(str_rule(), [&](Rules& r) { r.regexes = {uri_path}; })},
        {"response_body_path", with(str_rule(), [&](Rules& r) { r.regexes = {uri_path}; })},
        {"response_content_fileinfo", with(Rules{}, [](Rules& r) {
           r.type = Type::Dict;
           r.nullable = true;
           r.empty = true;
           r.malformed_mapping_schema = true;
         })},
        {"response_content_mimetype", with(str_rule(false, true), [](Rules& r) { r.empty = true; })},
    });
    auto nested = [](std::shared_ptr<Schema> s) {
      Rules r;
      r.type = Type::Dict;
      r.nullable = true;
      r.empty = true;
      r.mapping_schema = std::move(s);
      return r;
    };
    network_connection = {
        {"destination_ip", with(str_rule(true), [&](Rules& r) { r.regexes = {ip}; })},
        {"destination_port", int_rule(true, false, std::nullopt)},
        {"transport_layer_protocol", with(str_rule(true), [](Rules& r) { r.allowed = {"tcp", "udp"}; })},
        {"direction", with(str_rule(true), [](Rules& r) { r.allowed = {"outbound", "inbound", "unknown"}; })},
        {"process", int_rule(false, true)},
        {"source_ip", with(str_rule(false, true), [&](Rules& r) {
           r.empty = true;
           r.regexes = {ip};
         })},
        {"source_port", with(int_rule(false, true, std::nullopt), [](Rules& r) { r.empty = true; })},
        {"http_details", nested(http_schema)},
        {"dns_details", nested(dns_schema)},
        {"smtp_details", nested(std::make_shared<Schema>(Schema{{"type", Rules{}}}))},
        {"connection_type", with(str_rule(true, true), [](Rules& r) { r.allowed = {"http", "dns"}; })},
        {"time_observed", with(time_rule(false, true), [](Rules& r) { r.empty = true; })},
        {"sources", string_list(false, true)},
    };
    // smtp_details' schema {"type": "dict"} is a rules set too.
    for (auto& [k, r] : network_connection)
      if (k == "smtp_details") {
        r.mapping_schema.reset();
        r.malformed_mapping_schema = true;
      }

    auto machine_schema = std::make_shared<Schema>(Schema{
        {"ip", with(str_rule(true), [&](Rules& r) { r.regexes = {ip}; })},
        {"hypervisor", with(str_rule(true, true), [](Rules& r) { r.empty = true; r.maxlength = 256; })},
        {"hostname", with(str_rule(true), [&](Rules& r) { r.regexes = {domain, ip}; })},
        {"platform", with(str_rule(true, true), [](Rules& r) { r.empty = true; r.maxlength = 256; })},
        {"version", with(str_rule(true, true), [](Rules& r) { r.empty = true; r.maxlength = 256; })},
        {"architecture", with(str_rule(true, true), [](Rules& r) { r.empty = true; r.maxlength = 256; })},
    });
    auto analysis_metadata_schema = std::make_shared<Schema>(Schema{
        {"start_time", time_rule(true, false)},
        {"task_id", int_rule(true, false)},
        {"end_time", time_rule(true, false)},
        {"routing",
         with(str_rule(true), [](Rules& r) { r.allowed = {"none", "inetsim", "drop", "internet", "tor", "vpn"}; })},
        {"machine_metadata", nested(machine_schema)},
        {"window_size", with(str_rule(false, true), [](Rules& r) { r.empty = true; })},
    });
    analysis_information = {
        {"analysis_metadata", with(Rules{}, [&](Rules& r) {
           r.type = Type::Dict;
           r.required = true;
           r.mapping_schema = analysis_metadata_schema;
         })},
        {"sandbox_name", with(str_rule(true), [](Rules& r) { r.allowed = {"CAPE"}; })},
        {"sandbox_version", with(str_rule(true), [](Rules& r) { r.maxlength = 64; })},
    };

    auto list_of = [](const Schema& s, bool nullable) {
      Rules r;
      r.type = Type::List;
      r.required = true;
      r.nullable = nullable;
      r.empty = nullable ? std::optional<bool>(true) : std::nullopt;
      r.item_rules = std::make_shared<Rules>(with(Rules{}, [&s](Rules& i) {
        i.type = Type::Dict;
        i.mapping_schema = std::make_shared<Schema>(s);
      }));
      return r;
    };
    complete = {
        {"signatures", list_of(signature, true)},
        {"network_connections", list_of(network_connection, true)},
        {"processes", list_of(process, false)},
        {"analysis_information", with(Rules{}, [&](Rules& r) {
           r.type = Type::Dict;
           r.required = true;
           r.mapping_schema = std::make_shared<Schema>(analysis_information);
         })},
    };
  }
};

const Schemas& schemas() {
  static const Schemas kSchemas;
  return kSchemas;
}

}  // namespace

void prepare_sandbox_validation() { schemas(); }

std::optional<json::Value> validate_sandbox_event(const json::Value& item, SandboxEventKind kind) {
  if (!item.is_object()) return std::nullopt;
  const Schemas& s = schemas();
  const Schema* schema = nullptr;
  switch (kind) {
    case SandboxEventKind::Process: schema = &s.process; break;
    case SandboxEventKind::NetworkConnection: schema = &s.network_connection; break;
    case SandboxEventKind::Signature: schema = &s.signature; break;
    case SandboxEventKind::AnalysisInformation: schema = &s.analysis_information; break;
    case SandboxEventKind::Complete: schema = &s.complete; break;
  }
  json::Value normalized = item;
  normalize_mapping(normalized, *schema);
  if (!validate_mapping(normalized, *schema)) return std::nullopt;
  // The reference keeps the original dict when its loose comparison finds no difference.
  if (same_dictionaries(item, normalized)) return item;
  return normalized;
}

}  // namespace alcape::analysis::ontology
