#include "report/stream_reader.hpp"

#include "report/json_scan.hpp"
#include "report/repair.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <unordered_set>

namespace alcape::report {
namespace {

namespace od = simdjson::ondemand;

struct ElementError {
  Error error;
};

bool repairable(simdjson::error_code e) {
  using simdjson::error_code;
  return e == error_code::UTF8_ERROR || e == error_code::STRING_ERROR || e == error_code::T_ATOM_ERROR ||
         e == error_code::F_ATOM_ERROR || e == error_code::N_ATOM_ERROR || e == error_code::NUMBER_ERROR ||
         e == error_code::TAPE_ERROR || e == error_code::INCORRECT_TYPE;
}

class StreamReader {
 public:
  StreamReader(const char* data, size_t size, const ReadOptions& o, const std::string& ctx)
      : data_(data), size_(size), opts_(o), ctx_(ctx), scan_(data, size) {}

  Report run(const std::function<void(size_t)>& consumed) {
    consumed_ = &consumed;
    Report r;
    r.source_bytes = size_;
    if (scan_.peek() != '{') {
      if (scan_.at_end()) throw ElementError{make_error(ErrorCode::kNotJson, "the file is empty", ctx_)};
      throw ElementError{make_error(ErrorCode::kInvalidReport, "the report's top level is not a JSON object", ctx_)};
    }
    scan_.object([&](std::string_view raw_key) {
      std::string key = decode_key(raw_key);
      if (key == "behavior") read_behavior(r);
      else if (key == "sysmon") read_sysmon(r);
      else if (key == "info") take(r.info, r.info_p);
      else if (key == "debug") take(r.debug, r.debug_p);
      else if (key == "signatures") take(r.signatures, r.signatures_p);
      else if (key == "network") take(r.network, r.network_p);
      else if (key == "curtain") take(r.curtain, r.curtain_p);
      else if (key == "CAPE") take(r.cape, r.cape_p);
      else if (key == "hollowshunter") take(r.hollowshunter, r.hollowshunter_p);
      else if (key == "target") take(r.target, r.target_p);
      else scan_.value();  // not used by the analysis
      progress();
    });
    if (!scan_.at_end()) scan_.fail("unexpected content after the report object");
    for (auto& n : repairs_.notices()) r.notices.insert(r.notices.begin(), n);
    return r;
  }

 private:
  std::string decode_key(std::string_view raw) {
    if (raw.find('\\') == std::string_view::npos) return std::string(raw);
    std::string out;
    if (!decode_json_string(raw, out)) scan_.fail("malformed escape in a member name");
    return out;
  }

  // ---- one element through simdjson

  // Parses the JSON text `text` and hands the document to `use`; repairs Python-only JSON once if needed.
  template <typename F>
  void parse_element(std::string_view text, size_t depth, F&& use) {
    simdjson::error_code err = try_parse(text, depth, use);
    if (err == simdjson::SUCCESS) return;
    if (repairable(err)) {
      RepairResult fixed = repair_python_json(text);
      if (fixed.changed()) {
        err = try_parse(fixed.text, depth, use);
        if (err == simdjson::SUCCESS) {
          repairs_.nan_literals += fixed.nan_literals;
          repairs_.lone_surrogates += fixed.lone_surrogates;
          repairs_.invalid_utf8 += fixed.invalid_utf8;
          return;
        }
      }
    }
    size_t offset = static_cast<size_t>(text.data() - data_);
    if (text.data() < data_ || text.data() > data_ + size_) offset = scan_.offset();
    if (err == simdjson::DEPTH_ERROR) throw_too_deep();
    throw ElementError{make_error(ErrorCode::kInvalidJson,
                                  std::string("not valid JSON near byte ") + std::to_string(offset) + ": " +
                                      simdjson::error_message(err),
                                  ctx_)};
  }

  template <typename F>
  simdjson::error_code try_parse(std::string_view text, size_t depth, F&& use) {
    // simdjson reads up to SIMDJSON_PADDING bytes past the end; inside the buffer those bytes exist already.
    const char* buf_end = data_ + size_;
    simdjson::padded_string_view view;
    if (text.data() >= data_ && text.data() + text.size() + simdjson::SIMDJSON_PADDING <= buf_end) {
      view = simdjson::padded_string_view(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING);
    } else {
      scratch_.assign(text.data(), text.size());
      scratch_.append(simdjson::SIMDJSON_PADDING, ' ');
      view = simdjson::padded_string_view(scratch_.data(), text.size(), scratch_.size());
    }
    try {
      od::document doc = parser_.iterate(view);
      use(doc, depth);
    } catch (const simdjson::simdjson_error& e) {
      return e.error();
    }
    return simdjson::SUCCESS;
  }

  [[noreturn]] void throw_too_deep() {
    throw ElementError{make_error(ErrorCode::kTooDeep,
                                  "JSON nesting deeper than " + std::to_string(opts_.max_depth) + " levels", ctx_)};
  }

  json::Value convert(od::value v, size_t depth) {
    if (depth > opts_.max_depth) throw_too_deep();
    switch (v.type()) {
      case od::json_type::object: {
        json::Value out = json::Value::object();
        for (auto field : v.get_object()) {
          std::string key(field.unescaped_key().value());
          out[key] = convert(field.value(), depth + 1);  // repeated key: last value, first position (Python)
        }
        return out;
      }
      case od::json_type::array: {
        json::Value out = json::Value::array();
        for (auto e : v.get_array()) out.push_back(convert(e.value(), depth + 1));
        return out;
      }
      case od::json_type::string: return std::string(v.get_string().value());
      case od::json_type::boolean: return v.get_bool().value();
      case od::json_type::null:
        if (!v.is_null()) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
        return nullptr;
      case od::json_type::number: return number(v.get_number_type(), v);
    }
    return nullptr;
  }

  template <typename V>
  json::Value number(simdjson::simdjson_result<od::number_type> t, V& v) {
    if (!t.error()) {
      switch (t.value()) {
        case od::number_type::signed_integer: return v.get_int64().value();
        case od::number_type::unsigned_integer: return v.get_uint64().value();
        case od::number_type::floating_point_number: return v.get_double().value();
        default: break;
      }
    }
    // Beyond 64 bits: Python keeps the exact integer; we keep the nearest double.
    std::string_view raw_token = v.raw_json_token();
    std::string raw(raw_token);
    return std::strtod(raw.c_str(), nullptr);
  }

  json::Value convert_document(od::document& doc, size_t depth) {
    switch (doc.type()) {
      case od::json_type::object:
      case od::json_type::array: return convert(doc.get_value().value(), depth);
      case od::json_type::string: return std::string(doc.get_string().value());
      case od::json_type::boolean: return doc.get_bool().value();
      case od::json_type::null:
        if (!doc.is_null()) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
        return nullptr;
      case od::json_type::number: return number(doc.get_number_type(), doc);
    }
    return nullptr;
  }

  json::Value parse_value_text(std::string_view text, size_t depth) {
    json::Value out;
    parse_element(text, depth, [&](od::document& doc, size_t d) { out = convert_document(doc, d); });
    return out;
  }

  void take(json::Value& slot, Presence& presence) {
    slot = parse_value_text(scan_.value(), 1);
    presence = slot.is_null() ? Presence::kNull : Presence::kPresent;
  }

  // ---- behavior.processes[].calls[]

  void read_behavior(Report& r) {
    char c = scan_.peek();
    if (c == 'n') {
      json::Value v = parse_value_text(scan_.value(), 1);
      r.behavior_p = v.is_null() ? Presence::kNull : Presence::kPresent;
      if (!v.is_null()) r.notices.push_back("behavior is not an object; it was not read");
      return;
    }
    r.behavior_p = Presence::kPresent;
    if (c != '{') {
      scan_.value();
      r.notices.push_back("behavior is not an object; it was not read");
      return;
    }
    scan_.object([&](std::string_view raw_key) {
      std::string key = decode_key(raw_key);
      if (key == "processes" && scan_.peek() == '[') {
        r.behavior.has_processes = true;
        scan_.array([&] { read_process(r); });
      } else {
        r.behavior.fields[key] = parse_value_text(scan_.value(), 2);
      }
    });
  }

  void read_process(Report& r) {
    if (scan_.peek() != '{') {
      scan_.value();
      r.notices.push_back("a behavior.processes entry is not an object and was skipped");
      return;
    }
    Process p;
    std::unordered_set<std::string> seen;
    scan_.object([&](std::string_view raw_key) {
      std::string key = decode_key(raw_key);
      if (key == "calls" && scan_.peek() == '[') {
        p.has_calls = true;
        scan_.array([&] {
          read_call(p, seen);
          progress();
        });
      } else {
        p.fields[key] = parse_value_text(scan_.value(), 3);
      }
    });
    r.behavior.processes.push_back(std::move(p));
  }

  // A scalar string member of a call ("api", "category"), decoded; nullopt when not a string.
  std::optional<std::string> string_member(std::string_view text) {
    if (text.empty() || text.front() != '"') return std::nullopt;
    std::string_view raw = text.substr(1, text.size() - 2);
    std::string out;
    if (raw.find('\\') == std::string_view::npos && raw.find_first_of("\x80\xff") == std::string_view::npos) return std::string(raw);
    return parse_value_text(text, 5).get<std::string>();
  }

  void read_call(Process& p, std::unordered_set<std::string>& seen) {
    if (scan_.peek() != '{') {
      scan_.value();
      return;
    }
    std::optional<std::string> api, category;
    std::string_view args_text;
    scan_.object([&](std::string_view raw_key) {
      std::string_view v = scan_.value();
      if (raw_key == "api") api = string_member(v);
      else if (raw_key == "category") category = string_member(v);
      else if (raw_key == "arguments") args_text = v;
    });
    if (!api) return;
    if (opts_.keep_call && !opts_.keep_call(*api)) return;
    // Identical calls give identical process-map events, which the reference de-duplicates: keep one copy.
    // The key uses the raw argument text, so equal calls written differently are merely kept twice.
    std::string key = *api;
    key += '\0';
    key += category ? *category : std::string("\x01");
    key += '\0';
    key += args_text;
    if (!seen.insert(std::move(key)).second) return;
    Call call;
    call.api = std::move(*api);
    call.category = std::move(category);
    if (!args_text.empty()) call.arguments = parse_value_text(args_text, 4);
    p.calls.push_back(std::move(call));
  }

  // ---- sysmon[]

  static int event_id_of(const json::Value& id) {
    if (id.is_number_integer()) return static_cast<int>(id.get<int64_t>());
    if (id.is_string()) {
      const std::string& s = id.get_ref<const std::string&>();
      char* end = nullptr;
      long v = std::strtol(s.c_str(), &end, 10);
      if (!s.empty() && end && *end == '\0') return static_cast<int>(v);
    }
    return -1;
  }

  void read_sysmon(Report& r) {
    char c = scan_.peek();
    if (c != '[') {
      json::Value v = parse_value_text(scan_.value(), 1);
      r.sysmon_p = v.is_null() ? Presence::kNull : Presence::kPresent;
      r.sysmon_raw = std::move(v);
      return;
    }
    r.sysmon_p = Presence::kPresent;
    scan_.array([&] {
      std::string_view text = scan_.value();
      if (text.empty() || text.front() != '{') return;
      SysmonEvent ev;
      bool has_id = false;
      parse_element(text, 2, [&](od::document& doc, size_t) {
        ev = SysmonEvent{};
        has_id = false;
        for (auto f : doc.get_object()) {
          std::string_view k = f.unescaped_key().value();
          od::value fv = f.value();
          if (k == "System" && fv.type() == od::json_type::object) {
            for (auto sf : fv.get_object()) {
              if (sf.unescaped_key().value() == "EventID") {
                ev.event_id = convert(sf.value(), 4);
                has_id = true;
              }
            }
          } else if (k == "EventData" && fv.type() == od::json_type::object) {
            for (auto df : fv.get_object()) {
              if (df.unescaped_key().value() != "Data") continue;
              od::value data = df.value();
              if (data.type() == od::json_type::array) {
                for (auto item : data.get_array()) sysmon_data_item(item.value(), ev);
              } else {
                sysmon_data_item(data, ev);
              }
            }
          }
        }
      });
      progress();
      if (!has_id) return;
      if (opts_.keep_sysmon_event && !opts_.keep_sysmon_event(event_id_of(ev.event_id))) return;
      r.sysmon.push_back(std::move(ev));
    });
  }

  void sysmon_data_item(od::value item, SysmonEvent& ev) {
    if (item.type() != od::json_type::object) return;
    std::string name;
    bool has_name = false;
    json::Value text;
    for (auto f : item.get_object()) {
      std::string_view k = f.unescaped_key().value();
      od::value fv = f.value();
      if (k == "@Name" && fv.type() == od::json_type::string) {
        name = std::string(fv.get_string().value());
        has_name = true;
      } else if (k == "#text") {
        text = convert(fv, 6);
      }
    }
    if (!has_name) return;
    if (opts_.keep_sysmon_field) {
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (!opts_.keep_sysmon_field(lower)) return;
    }
    ev.data.emplace_back(std::move(name), std::move(text));
  }

  // Reports how far the input has been read (the caller may release that part of a mapping).
  void progress() {
    if (*consumed_) (*consumed_)(scan_.offset());
  }

  const std::function<void(size_t)>* consumed_ = nullptr;
  const char* data_;
  size_t size_;
  const ReadOptions& opts_;
  const std::string& ctx_;
  JsonScanner scan_;
  od::parser parser_;
  std::string scratch_;
  RepairResult repairs_;
};

}  // namespace

StatusOr<Report> read_report_buffer(const char* data, size_t size, const ReadOptions& options,
                                    const std::string& context, const std::function<void(size_t)>& consumed) {
  if (size > options.max_bytes)
    return make_error(ErrorCode::kTooLarge,
                      "report is " + std::to_string(size) + " bytes, over the limit of " +
                          std::to_string(options.max_bytes),
                      context);
  try {
    StreamReader reader(data, size, options, context);
    return reader.run(consumed);
  } catch (const ElementError& e) {
    return e.error;
  } catch (const ScanError& e) {
    if (e.offset >= size && size == 0) return make_error(ErrorCode::kNotJson, "the file is empty", context);
    return make_error(ErrorCode::kInvalidJson,
                      "not valid JSON at byte " + std::to_string(e.offset) + ": " + e.message, context);
  } catch (const simdjson::simdjson_error& e) {
    return make_error(ErrorCode::kInvalidJson, std::string("not valid JSON: ") + e.what(), context);
  }
}

}  // namespace alcape::report
