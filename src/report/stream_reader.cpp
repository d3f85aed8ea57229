#include "report/stream_reader.hpp"

#include "report/json_scan.hpp"
#include "report/repair.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cmath>
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

// The JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view t) {
  size_t i = 0;
  auto digits = [&]() {
    size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i - start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') ++i;
  else if (digits() == 0) return false;
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == t.size();
}

bool has_non_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return true;
  return false;
}

// Nesting levels (max_depth): a value enclosed by L containers has level L — the report object 0, its members 1,
// and so on; entering a container at level L makes the nesting L+1, which must stay within max_depth. The levels
// of the parts walked element by element:
constexpr size_t kTopMember = 1;       // info, behavior, sysmon, ...
constexpr size_t kBehaviorMember = 2;  // behavior.processes, behavior.processtree, ...
constexpr size_t kProcess = 3;         // behavior.processes[i]
constexpr size_t kProcessMember = 4;   // behavior.processes[i].calls, .process_name, ...
constexpr size_t kCall = 5;            // behavior.processes[i].calls[j]
constexpr size_t kCallMember = 6;      // .api, .arguments
constexpr size_t kSysmonEvent = 2;     // sysmon[i]
constexpr size_t kSysmonPart = 3;      // sysmon[i].System, sysmon[i].EventData
constexpr size_t kSysmonMember = 4;    // System.EventID, EventData.Data

// What the reader changed or skipped, counted per kind so that a broken report gives a few notices, not
// thousands; turned into Report::notices in a fixed order.
struct Counters {
  RepairResult repairs;            // NaN/Infinity, lone surrogates, invalid UTF-8
  size_t big_integers = 0;         // integers beyond 64 bits, read as the nearest double
  size_t overflowing_numbers = 0;  // numbers beyond the double range (Python: inf), read as null
  size_t skipped_processes = 0;    // behavior.processes entries that are not objects
  bool behavior_not_object = false;

  std::vector<std::string> notices() const {
    std::vector<std::string> out = repairs.notices();
    if (big_integers)
      out.push_back(std::to_string(big_integers) +
                    " integer(s) beyond 64 bits in the report were read as floating-point numbers");
    if (overflowing_numbers)
      out.push_back(std::to_string(overflowing_numbers) +
                    " number(s) beyond the floating-point range in the report were read as null");
    if (behavior_not_object) out.push_back("behavior is not an object; its processes were not read");
    if (skipped_processes)
      out.push_back(std::to_string(skipped_processes) + " behavior.processes entr" +
                    (skipped_processes == 1 ? "y is" : "ies are") + " not a JSON object and " +
                    (skipped_processes == 1 ? "was" : "were") + " skipped");
    return out;
  }
};

class StreamReader {
 public:
  StreamReader(const char* data, size_t size, const ReadOptions& o, const std::string& ctx)
      : data_(data), size_(size), opts_(o), ctx_(ctx), scan_(data, size) {}

  Report run(const std::function<void(size_t)>& consumed) {
    consumed_ = &consumed;
    Report r;
    r.source_bytes = size_;
    char first = scan_.peek();
    if (first != '{') {
      if (scan_.at_end()) throw ElementError{make_error(ErrorCode::kNotJson, "the file is empty", ctx_)};
      if (first != '\0' && std::strchr("[\"-0123456789tfn", first))
        throw ElementError{
            make_error(ErrorCode::kInvalidReport, "the report's top level is not a JSON object", ctx_)};
      scan_.fail("expected a JSON object");
    }
    enter(0);
    scan_.object([&](std::string_view raw_key) {
      std::string key = decode_key(raw_key);
      // A repeated key counts with its last value (Python dict semantics): every slot is reset when read.
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
    r.notices = counters_.notices();
    return r;
  }

 private:
  void enter(size_t level) const {
    if (level + 1 > opts_.max_depth) throw_too_deep();
  }

  [[noreturn]] void throw_too_deep() const {
    throw ElementError{make_error(ErrorCode::kTooDeep,
                                  "JSON nesting deeper than " + std::to_string(opts_.max_depth) + " levels", ctx_)};
  }

  // A member name as UTF-8: escapes decoded (lone surrogates -> U+FFFD), invalid UTF-8 bytes -> U+FFFD.
  std::string decode_key(std::string_view raw) {
    std::string out;
    if (raw.find('\\') == std::string_view::npos) {
      out.assign(raw);
    } else {
      size_t lone = 0;
      if (!decode_json_string(raw, out, &lone)) scan_.fail("malformed escape in a member name");
      counters_.repairs.lone_surrogates += lone;
    }
    if (has_non_ascii(out)) {
      RepairResult fixed = repair_python_json(out);
      if (fixed.invalid_utf8) {
        counters_.repairs.invalid_utf8 += fixed.invalid_utf8;
        out = std::move(fixed.text);
      }
    }
    return out;
  }

  // ---- one element through simdjson

  // Parses the JSON text `text` (a value at `level`) and hands the document to `use`; repairs Python-only JSON
  // once if needed.
  template <typename F>
  void parse_element(std::string_view text, size_t level, F&& use) {
    simdjson::error_code err = try_parse(text, level, use);
    if (err == simdjson::SUCCESS) return;
    size_t inner = error_at_;  // the position in the original text, not in a repaired copy
    if (repairable(err)) {
      RepairResult fixed = repair_python_json(text);
      if (fixed.changed()) {
        err = try_parse(fixed.text, level, use);
        if (err == simdjson::SUCCESS) {
          counters_.repairs.nan_literals += fixed.nan_literals;
          counters_.repairs.lone_surrogates += fixed.lone_surrogates;
          counters_.repairs.invalid_utf8 += fixed.invalid_utf8;
          return;
        }
      }
    }
    size_t offset = static_cast<size_t>(text.data() - data_) + inner;
    if (text.data() < data_ || text.data() > data_ + size_) offset = scan_.offset();
    throw ElementError{make_error(ErrorCode::kInvalidJson,
                                  std::string("not valid JSON at byte ") + std::to_string(offset) + ": " +
                                      simdjson::error_message(err),
                                  ctx_)};
  }

  template <typename F>
  simdjson::error_code try_parse(std::string_view text, size_t level, F&& use) {
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
    // A retry after a repair must not count what the failed attempt counted.
    size_t big = counters_.big_integers, over = counters_.overflowing_numbers;
    od::document doc;
    bool started = false;
    error_at_ = 0;
    try {
      doc = parser_.iterate(view);
      started = true;
      use(doc, level);
    } catch (const simdjson::simdjson_error& e) {
      counters_.big_integers = big;
      counters_.overflowing_numbers = over;
      // Where in the element simdjson stopped, for the error message.
      const char* at = nullptr;
      if (started && doc.current_location().get(at) == simdjson::SUCCESS && at >= view.data() &&
          at <= view.data() + view.size())
        error_at_ = static_cast<size_t>(at - view.data());
      return e.error();
    }
    return simdjson::SUCCESS;
  }

  // A report value as a json::Value; `level` as above.
  json::Value convert(od::value v, size_t level) {
    switch (v.type()) {
      case od::json_type::object: {
        enter(level);
        json::Value out = json::Value::object();
        for (auto field : v.get_object()) {
          std::string key(field.unescaped_key().value());
          out[key] = convert(field.value(), level + 1);  // repeated key: last value, first position (Python)
        }
        return out;
      }
      case od::json_type::array: {
        enter(level);
        json::Value out = json::Value::array();
        for (auto e : v.get_array()) out.push_back(convert(e.value(), level + 1));
        return out;
      }
      case od::json_type::string: return std::string(v.get_string().value());
      case od::json_type::boolean: return v.get_bool().value();
      case od::json_type::null:
        if (!v.is_null()) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
        return nullptr;
      case od::json_type::number: return number(v);
    }
    return nullptr;
  }

  template <typename V>
  json::Value number(V& v) {
    od::number_type nt = v.get_number_type().value();
    if (nt == od::number_type::signed_integer) {
      int64_t i;
      if (!v.get_int64().get(i)) return i;
    } else if (nt == od::number_type::unsigned_integer) {
      uint64_t u;
      if (!v.get_uint64().get(u)) return u;
    } else {
      double d;
      if (!v.get_double().get(d)) return d;
    }
    // Out of range for its type, or not a number at all.
    std::string_view raw_token = v.raw_json_token();  // a result for documents, a view for values
    std::string raw(raw_token);
    while (!raw.empty() && std::isspace(static_cast<unsigned char>(raw.back()))) raw.pop_back();
    if (!is_json_number(raw)) throw simdjson::simdjson_error(simdjson::NUMBER_ERROR);
    double d = std::strtod(raw.c_str(), nullptr);
    if (std::isinf(d)) {
      // Python reads 1e400 as inf, which Assemblyline cannot store (allow_nan=False): null, like NaN.
      ++counters_.overflowing_numbers;
      return nullptr;
    }
    // Python keeps such integers exact; json::Value has no big integers, so the nearest double is kept.
    ++counters_.big_integers;
    return d;
  }

  json::Value convert_document(od::document& doc, size_t level) {
    switch (doc.type()) {
      case od::json_type::object:
      case od::json_type::array: return convert(doc.get_value().value(), level);
      case od::json_type::string: return std::string(doc.get_string().value());
      case od::json_type::boolean: return doc.get_bool().value();
      case od::json_type::null:
        if (!doc.is_null()) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
        return nullptr;
      case od::json_type::number: return number(doc);
    }
    return nullptr;
  }

  json::Value parse_value_text(std::string_view text, size_t level) {
    json::Value out;
    parse_element(text, level, [&](od::document& doc, size_t l) { out = convert_document(doc, l); });
    return out;
  }

  void take(json::Value& slot, Presence& presence) {
    slot = parse_value_text(scan_.value(), kTopMember);
    presence = slot.is_null() ? Presence::kNull : Presence::kPresent;
  }

  // ---- behavior.processes[].calls[]

  void read_behavior(Report& r) {
    r.behavior = Behavior{};
    counters_.behavior_not_object = false;
    char c = scan_.peek();
    if (c != '{') {
      json::Value v = parse_value_text(scan_.value(), kTopMember);
      r.behavior_p = v.is_null() ? Presence::kNull : Presence::kPresent;
      counters_.behavior_not_object = !v.is_null();
      return;
    }
    r.behavior_p = Presence::kPresent;
    enter(kTopMember);
    scan_.object([&](std::string_view raw_key) {
      std::string key = decode_key(raw_key);
      if (key != "processes") {
        r.behavior.fields[key] = parse_value_text(scan_.value(), kBehaviorMember);
        return;
      }
      r.behavior.processes.clear();
      r.behavior.has_processes = scan_.peek() == '[';
      if (!r.behavior.has_processes) {
        r.behavior.fields[key] = parse_value_text(scan_.value(), kBehaviorMember);
        return;
      }
      r.behavior.fields.erase(key);
      enter(kBehaviorMember);
      scan_.array([&] { read_process(r); });
    });
  }

  void read_process(Report& r) {
    if (scan_.peek() != '{') {
      scan_.value();
      ++counters_.skipped_processes;
      return;
    }
    enter(kProcess);
    Process p;
    std::unordered_set<std::string> seen;
    scan_.object([&](std::string_view raw_key) {
      std::string key = decode_key(raw_key);
      if (key != "calls") {
        p.fields[key] = parse_value_text(scan_.value(), kProcessMember);
        return;
      }
      p.calls.clear();
      seen.clear();
      p.has_calls = scan_.peek() == '[';
      if (!p.has_calls) {
        p.fields[key] = parse_value_text(scan_.value(), kProcessMember);
        return;
      }
      p.fields.erase(key);
      enter(kProcessMember);
      scan_.array([&] {
        read_call(p, seen);
        progress();
      });
    });
    r.behavior.processes.push_back(std::move(p));
  }

  // A string member of a call ("api", "category"), decoded; nullopt when not a string.
  std::optional<std::string> string_member(std::string_view text) {
    if (text.empty() || text.front() != '"') return std::nullopt;
    std::string_view raw = text.substr(1, text.size() - 2);
    // Plain ASCII without escapes is the common case; anything else goes through simdjson (escapes, UTF-8).
    if (raw.find('\\') == std::string_view::npos && !has_non_ascii(raw)) return std::string(raw);
    json::Value v = parse_value_text(text, kCallMember);
    if (!v.is_string()) return std::nullopt;
    return v.get<std::string>();
  }

  void read_call(Process& p, std::unordered_set<std::string>& seen) {
    if (scan_.peek() != '{') {
      scan_.value();
      return;
    }
    enter(kCall);
    std::optional<std::string> api, category;
    std::string_view args_text;
    scan_.object([&](std::string_view raw_key) {
      std::string_view v = scan_.value();
      // Last value of a repeated key, as in a Python dict.
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
    if (!args_text.empty()) call.arguments = parse_value_text(args_text, kCallMember);
    p.calls.push_back(std::move(call));
  }

  // ---- sysmon[]

  static int event_id_of(const json::Value& id) {
    if (id.is_number_integer()) {
      int64_t v = id.get<int64_t>();
      return v >= INT_MIN && v <= INT_MAX ? static_cast<int>(v) : -1;
    }
    if (id.is_string()) {
      const std::string& s = id.get_ref<const std::string&>();
      char* end = nullptr;
      errno = 0;
      long v = std::strtol(s.c_str(), &end, 10);
      if (errno == 0 && !s.empty() && end && *end == '\0' && v >= INT_MIN && v <= INT_MAX)
        return static_cast<int>(v);
    }
    return -1;
  }

  void read_sysmon(Report& r) {
    r.sysmon.clear();
    r.sysmon_raw = json::Value();
    char c = scan_.peek();
    if (c != '[') {
      json::Value v = parse_value_text(scan_.value(), kTopMember);
      r.sysmon_p = v.is_null() ? Presence::kNull : Presence::kPresent;
      r.sysmon_raw = std::move(v);
      return;
    }
    r.sysmon_p = Presence::kPresent;
    enter(kTopMember);
    scan_.array([&] {
      std::string_view text = scan_.value();
      if (text.empty() || text.front() != '{') return;
      SysmonEvent ev;
      bool has_id = false;
      parse_element(text, kSysmonEvent, [&](od::document& doc, size_t level) {
        ev = SysmonEvent{};
        has_id = false;
        enter(level);
        for (auto f : doc.get_object()) {
          std::string_view k = f.unescaped_key().value();
          od::value fv = f.value();
          // A repeated System / EventData replaces the earlier one, as in a Python dict.
          if (k == "System") {
            has_id = false;
            ev.event_id = json::Value();
            if (fv.type() != od::json_type::object) continue;
            enter(kSysmonPart);
            for (auto sf : fv.get_object()) {
              if (sf.unescaped_key().value() == "EventID") {
                ev.event_id = convert(sf.value(), kSysmonMember);
                has_id = true;
              }
            }
          } else if (k == "EventData") {
            ev.data.clear();
            if (fv.type() != od::json_type::object) continue;
            enter(kSysmonPart);
            for (auto df : fv.get_object()) {
              if (df.unescaped_key().value() != "Data") continue;
              ev.data.clear();
              od::value data = df.value();
              if (data.type() == od::json_type::array) {
                enter(kSysmonMember);
                for (auto item : data.get_array()) sysmon_data_item(item.value(), kSysmonMember + 1, ev);
              } else {
                sysmon_data_item(data, kSysmonMember, ev);
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

  void sysmon_data_item(od::value item, size_t level, SysmonEvent& ev) {
    if (item.type() != od::json_type::object) return;
    enter(level);
    std::string name;
    bool has_name = false;
    json::Value text;
    for (auto f : item.get_object()) {
      std::string_view k = f.unescaped_key().value();
      od::value fv = f.value();
      if (k == "@Name") {
        has_name = fv.type() == od::json_type::string;
        name = has_name ? std::string(fv.get_string().value()) : std::string();
      } else if (k == "#text") {
        text = convert(fv, level + 1);
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
  size_t error_at_ = 0;  // offset in the element where the last failed parse stopped
  Counters counters_;
};

}  // namespace

StatusOr<Report> read_report_buffer(const char* data, size_t size, const ReadOptions& options,
                                    const std::string& context, const std::function<void(size_t)>& consumed) {
  if (size > options.max_bytes)
    return make_error(ErrorCode::kTooLarge,
                      "the report is " + std::to_string(size) + " bytes, over the limit of " +
                          std::to_string(options.max_bytes),
                      context);
  if (!data) data = "";
  try {
    StreamReader reader(data, size, options, context);
    return reader.run(consumed);
  } catch (const ElementError& e) {
    return e.error;
  } catch (const ScanError& e) {
    return make_error(ErrorCode::kInvalidJson,
                      "not valid JSON at byte " + std::to_string(e.offset) + ": " + e.message, context);
  } catch (const simdjson::simdjson_error& e) {
    return make_error(ErrorCode::kInvalidJson, std::string("not valid JSON: ") + e.what(), context);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::kTooLarge, "not enough memory to read the report", context);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal, std::string("internal error while reading the report: ") + e.what(),
                      context);
  }
}

}  // namespace alcape::report
