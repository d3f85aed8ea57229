#include "core/yaml.hpp"

#include <yaml.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace alcape::yaml {
namespace {

bool one_of(std::string_view s, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words)
    if (s == w) return true;
  return false;
}

// Digits of `s` in `base` with PyYAML's "_" separators allowed; nullopt when anything else is there.
std::optional<int64_t> parse_digits(std::string_view s, int base) {
  std::string digits;
  for (char c : s)
    if (c != '_') digits += c;
  if (digits.empty()) return std::nullopt;
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return v;
}

std::optional<int64_t> parse_int(std::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || !(s[0] >= '0' && s[0] <= '9')) return std::nullopt;
  std::optional<int64_t> v;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) v = parse_digits(s.substr(2), 16);
  else if (s.size() > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B')) v = parse_digits(s.substr(2), 2);
  else if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'O')) v = parse_digits(s.substr(2), 8);
  else if (s.size() > 1 && s[0] == '0') v = parse_digits(s.substr(1), 8);  // YAML 1.1 octal: 0755
  else v = parse_digits(s, 10);
  if (!v) return std::nullopt;
  return negative ? -*v : *v;
}

// [-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)? — PyYAML's float form (a dot is required).
std::optional<double> parse_float(std::string_view s) {
  std::string t;
  for (char c : s)
    if (c != '_') t += c;
  std::string_view v = t;
  std::string_view body = (!v.empty() && (v[0] == '-' || v[0] == '+')) ? v.substr(1) : v;
  if (one_of(body, {".inf", ".Inf", ".INF"}))
    return (v[0] == '-' ? -1 : 1) * std::numeric_limits<double>::infinity();
  if (one_of(v, {".nan", ".NaN", ".NAN"})) return std::numeric_limits<double>::quiet_NaN();
  size_t dot = body.find('.');
  if (dot == std::string_view::npos || body.empty()) return std::nullopt;
  size_t i = 0;
  while (i < dot && body[i] >= '0' && body[i] <= '9') ++i;
  if (i != dot) return std::nullopt;
  i = dot + 1;
  while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i;
  if (dot == 0 && i == 1) return std::nullopt;  // "." alone
  if (i < body.size()) {  // exponent: [eE][-+][0-9]+
    if (!(body[i] == 'e' || body[i] == 'E') || i + 2 >= body.size() || !(body[i + 1] == '-' || body[i + 1] == '+'))
      return std::nullopt;
    for (size_t j = i + 2; j < body.size(); ++j)
      if (!(body[j] >= '0' && body[j] <= '9')) return std::nullopt;
  }
  double d = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
  if (ec != std::errc()) {
    // from_chars rejects "+1.5" and "1." in some forms; strtod accepts PyYAML's.
    char* end = nullptr;
    d = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size()) return std::nullopt;
  } else if (ptr != t.data() + t.size()) {
    return std::nullopt;
  }
  return d;
}

struct Frame {
  json::Value value;
  std::string anchor;
  std::string pending_key;  // mappings: the key waiting for its value
  bool has_key = false;
};

class Builder {
 public:
  Builder(std::string_view context, const ParseOptions& options) : context_(context), options_(options) {}

  StatusOr<json::Value> run(std::string_view text) {
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) return fail("cannot initialise the YAML parser", 0, 0);
    std::unique_ptr<yaml_parser_t, void (*)(yaml_parser_t*)> guard(&parser, yaml_parser_delete);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    bool document_seen = false;
    for (;;) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser, &event)) {
        return fail(std::string("YAML syntax error: ") + (parser.problem ? parser.problem : "unknown") +
                        (parser.context ? std::string(" ") + parser.context : std::string()),
                    parser.problem_mark.line + 1, parser.problem_mark.column + 1);
      }
      std::unique_ptr<yaml_event_t, void (*)(yaml_event_t*)> event_guard(&event, yaml_event_delete);
      const size_t line = event.start_mark.line + 1, column = event.start_mark.column + 1;
      switch (event.type) {
        case YAML_STREAM_END_EVENT: return document_seen ? std::move(result_) : json::Value();
        case YAML_DOCUMENT_START_EVENT:
          if (document_seen) return std::move(result_);  // only the first document
          document_seen = true;
          break;
        case YAML_DOCUMENT_END_EVENT: return std::move(result_);
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT: {
          if (static_cast<int>(stack_.size()) >= options_.max_depth)
            return Error{ErrorCode::kTooDeep, "YAML nested deeper than " + std::to_string(options_.max_depth) +
                                                  " levels (line " + std::to_string(line) + ")",
                         std::string(context_)};
          Frame f;
          f.value = event.type == YAML_MAPPING_START_EVENT ? json::Value::object() : json::Value::array();
          const yaml_char_t* anchor = event.type == YAML_MAPPING_START_EVENT ? event.data.mapping_start.anchor
                                                                              : event.data.sequence_start.anchor;
          if (anchor) f.anchor = reinterpret_cast<const char*>(anchor);
          stack_.push_back(std::move(f));
          break;
        }
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT: {
          Frame f = std::move(stack_.back());
          stack_.pop_back();
          if (!f.anchor.empty()) anchors_[f.anchor] = f.value;
          if (Status s = add(std::move(f.value), line, column); !s.ok()) return s.error();
          break;
        }
        case YAML_SCALAR_EVENT: {
          std::string_view text(reinterpret_cast<const char*>(event.data.scalar.value), event.data.scalar.length);
          json::Value v = scalar(text, event.data.scalar);
          if (event.data.scalar.anchor) anchors_[reinterpret_cast<const char*>(event.data.scalar.anchor)] = v;
          if (Status s = add(std::move(v), line, column, std::string(text)); !s.ok()) return s.error();
          break;
        }
        case YAML_ALIAS_EVENT: {
          auto it = anchors_.find(reinterpret_cast<const char*>(event.data.alias.anchor));
          if (it == anchors_.end()) return fail("unknown alias", line, column);
          if (Status s = add(it->second, line, column); !s.ok()) return s.error();
          break;
        }
        default: break;
      }
    }
  }

 private:
  json::Value scalar(std::string_view text, const decltype(yaml_event_t{}.data.scalar)& s) const {
    const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE;
    const bool tagged_str = s.tag && std::string_view(reinterpret_cast<const char*>(s.tag)) == YAML_STR_TAG;
    if (!plain || tagged_str) return std::string(text);
    if (options_.scalars_as_strings) {
      json::Value v = resolve_plain_scalar(text);
      return v.is_null() ? v : json::Value(std::string(text));
    }
    return resolve_plain_scalar(text);
  }

  // Adds a finished value to the enclosing container (or makes it the document). Mapping keys are scalars
  // (their text); complex keys are refused.
  Status add(json::Value v, size_t line, size_t column, std::optional<std::string> key_text = std::nullopt) {
    if (stack_.empty()) {
      result_ = std::move(v);
      return {};
    }
    Frame& top = stack_.back();
    if (top.value.is_array()) {
      top.value.push_back(std::move(v));
    } else if (!top.has_key) {
      if (!key_text) return fail("a mapping key must be a scalar", line, column).error();
      top.pending_key = *key_text;
      top.has_key = true;
    } else {
      top.value[top.pending_key] = std::move(v);
      top.has_key = false;
    }
    return {};
  }

  StatusOr<json::Value> fail(std::string message, size_t line, size_t column) const {
    if (line) message += " at line " + std::to_string(line) + ", column " + std::to_string(column);
    return Error{ErrorCode::kInvalidParams, std::move(message), std::string(context_)};
  }

  std::string_view context_;
  ParseOptions options_;
  std::vector<Frame> stack_;
  std::map<std::string, json::Value> anchors_;
  json::Value result_;
};

}  // namespace

json::Value resolve_plain_scalar(std::string_view s) {
  if (s.empty() || one_of(s, {"~", "null", "Null", "NULL"})) return nullptr;
  if (one_of(s, {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})) return true;
  if (one_of(s, {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})) return false;
  const char c = s[0];
  if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
    if (auto i = parse_int(s)) return *i;
    if (auto d = parse_float(s)) return *d;
  }
  return std::string(s);
}

StatusOr<json::Value> parse(std::string_view text, std::string_view context, const ParseOptions& options) {
  return Builder(context, options).run(text);
}

StatusOr<json::Value> parse_file(const std::string& path, const ParseOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::kUnreadable, "cannot open file", path};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error{ErrorCode::kUnreadable, "cannot read file", path};
  return parse(buffer.str(), path, options);
}

}  // namespace alcape::yaml
