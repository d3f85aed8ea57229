#include "report/reader.hpp"

#include "report/repair.hpp"

#include <simdjson.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <unordered_set>

namespace alcape::report {
namespace {

namespace od = simdjson::ondemand;

// Thrown inside the reader for problems the JSON grammar does not know about (limits, shape of the top level);
// caught in parse_padded.
struct ReaderStop {
  Error error;
};

// What the reader changed or skipped, counted so that a broken report gives a few notices, not thousands.
struct ReadCounters {
  size_t big_integers = 0;         // integers beyond 64 bits, read as floating-point numbers
  size_t overflowing_numbers = 0;  // numbers beyond the double range (Python reads them as inf), read as null
  size_t skipped_processes = 0;    // behavior.processes entries that are not objects
  bool behavior_not_object = false;

  void append_notices(std::vector<std::string>& out) const {
    if (behavior_not_object) out.push_back("behavior is not an object; its processes were not read");
    if (skipped_processes)
      out.push_back(std::to_string(skipped_processes) +
                    " behavior.processes entr" + (skipped_processes == 1 ? "y is" : "ies are") +
                    " not a JSON object and " + (skipped_processes == 1 ? "was" : "were") + " skipped");
    if (big_integers)
      out.push_back(std::to_string(big_integers) +
                    " integer(s) beyond 64 bits in the report were read as floating-point numbers");
    if (overflowing_numbers)
      out.push_back(std::to_string(overflowing_numbers) +
                    " number(s) beyond the floating-point range in the report were read as null");
  }
};

// Nesting levels: a value enclosed by L containers has level L (the document root 0, its fields 1, ...); entering
// a container at level L makes nesting L+1, which must stay within max_depth. Levels of the parts walked by hand:
constexpr size_t kTopField = 1;       // info, behavior, sysmon, ...
constexpr size_t kBehaviorField = 2;  // behavior.processes, behavior.processtree, ...
constexpr size_t kProcess = 3;        // behavior.processes[i]
constexpr size_t kProcessField = 4;   // behavior.processes[i].calls, .process_name, ...
constexpr size_t kCall = 5;           // behavior.processes[i].calls[j]
constexpr size_t kCallField = 6;      // .arguments
constexpr size_t kSysmonEvent = 2;    // sysmon[i]
constexpr size_t kSysmonPart = 3;     // sysmon[i].System, sysmon[i].EventData
constexpr size_t kSysmonField = 4;    // System.EventID, EventData.Data

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

class Reader {
 public:
  Reader(const ReadOptions& o, const std::string& ctx) : opts_(o), ctx_(ctx) {}

  const ReadCounters& counters() const { return counters_; }

  void enter(size_t level) const {
    if (level + 1 > opts_.max_depth)
      throw ReaderStop{make_error(ErrorCode::kTooDeep,
                                  "JSON nesting deeper than " + std::to_string(opts_.max_depth) + " levels", ctx_)};
  }

  // A JSON value of the report as a json::Value; `level` as above.
  json::Value convert(od::value v, size_t level) {
    switch (v.type()) {
      case od::json_type::object: {
        enter(level);
        json::Value out = json::Value::object();
        for (auto field : v.get_object()) {
          std::string key(field.unescaped_key().value());
          // Python dicts keep the first position of a repeated key and its last value; so does operator[].
          out[key] = convert(field.value(), level + 1);
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
      case od::json_type::number: return convert_number(v);
    }
    return nullptr;
  }

  json::Value convert_number(od::value v) {
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
    std::string raw(v.raw_json_token());
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

  void read_calls(od::array calls, Process& p) {
    std::unordered_set<std::string> seen;
    for (auto c : calls) {
      od::value cv = c.value();
      if (cv.type() != od::json_type::object) continue;
      enter(kCall);
      Call call;
      bool has_api = false, args_skipped = false;
      json::Value args;
      for (auto field : cv.get_object()) {
        std::string_view key = field.unescaped_key().value();
        od::value fv = field.value();
        // A repeated key counts with its last value, as in a Python dict.
        if (key == "api") {
          has_api = fv.type() == od::json_type::string;
          call.api = has_api ? std::string(fv.get_string().value()) : std::string();
        } else if (key == "category") {
          if (fv.type() == od::json_type::string) call.category = std::string(fv.get_string().value());
          else call.category.reset();
        } else if (key == "arguments") {
          // CAPE writes "api" before "arguments": the arguments of calls the analysis ignores are not converted.
          if (has_api && opts_.keep_call && !opts_.keep_call(call.api)) {
            args = json::Value();
            args_skipped = true;
          } else {
            args = convert(fv, kCallField);
            args_skipped = false;
          }
        }
      }
      if (!has_api || (opts_.keep_call && !opts_.keep_call(call.api))) continue;
      (void)args_skipped;  // only when "api" changed after "arguments": the call is kept without arguments
      call.arguments = std::move(args);
      std::string key = call.api;
      key += '\0';
      key += call.category.value_or("\x01");
      key += '\0';
      key += call.arguments.dump(-1, ' ', false, json::Value::error_handler_t::replace);
      if (seen.insert(std::move(key)).second) p.calls.push_back(std::move(call));
    }
  }

  void read_process(od::value pv, Report& r) {
    enter(kProcess);
    Process p;
    for (auto pf : pv.get_object()) {
      std::string pkey(pf.unescaped_key().value());
      od::value pfv = pf.value();
      if (pkey == "calls") {
        p.calls.clear();
        p.has_calls = pfv.type() == od::json_type::array;
        if (p.has_calls) {
          p.fields.erase("calls");
          enter(kProcessField);
          read_calls(pfv.get_array(), p);
          continue;
        }
      }
      p.fields[pkey] = convert(pfv, kProcessField);
    }
    r.behavior.processes.push_back(std::move(p));
  }

  void read_behavior(od::value v, Report& r) {
    r.behavior = Behavior{};
    r.behavior_p = Presence::kPresent;
    if (v.type() != od::json_type::object) {
      counters_.behavior_not_object = true;
      return;
    }
    counters_.behavior_not_object = false;
    enter(kTopField);
    for (auto field : v.get_object()) {
      std::string key(field.unescaped_key().value());
      od::value fv = field.value();
      if (key == "processes") {
        r.behavior.processes.clear();
        r.behavior.has_processes = fv.type() == od::json_type::array;
        if (r.behavior.has_processes) {
          r.behavior.fields.erase("processes");
          enter(kBehaviorField);
          for (auto pe : fv.get_array()) {
            od::value pv = pe.value();
            if (pv.type() != od::json_type::object) {
              ++counters_.skipped_processes;
              continue;
            }
            read_process(pv, r);
          }
          continue;
        }
      }
      r.behavior.fields[key] = convert(fv, kBehaviorField);
    }
  }

  static int event_id_of(const json::Value& id) {
    if (id.is_number_integer()) {
      int64_t v = id.get<int64_t>();
      return v >= INT32_MIN && v <= INT32_MAX ? static_cast<int>(v) : -1;
    }
    if (id.is_string()) {
      const std::string& s = id.get_ref<const std::string&>();
      char* end = nullptr;
      errno = 0;
      long v = std::strtol(s.c_str(), &end, 10);
      if (errno == 0 && end && *end == '\0' && !s.empty() && v >= INT32_MIN && v <= INT32_MAX)
        return static_cast<int>(v);
    }
    return -1;
  }

  void read_sysmon_data_item(od::value item, size_t level, SysmonEvent& ev) {
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

  void read_sysmon_event(od::value ev_v, Report& r) {
    enter(kSysmonEvent);
    SysmonEvent ev;
    bool has_id = false;
    for (auto f : ev_v.get_object()) {
      std::string_view k = f.unescaped_key().value();
      od::value fv = f.value();
      if (k == "System") {
        has_id = false;
        ev.event_id = json::Value();
        if (fv.type() != od::json_type::object) continue;
        enter(kSysmonPart);
        for (auto sf : fv.get_object()) {
          if (sf.unescaped_key().value() == "EventID") {
            ev.event_id = convert(sf.value(), kSysmonField);
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
            enter(kSysmonField);
            for (auto item : data.get_array()) read_sysmon_data_item(item.value(), kSysmonField + 1, ev);
          } else {
            read_sysmon_data_item(data, kSysmonField, ev);
          }
        }
      }
    }
    if (!has_id) return;
    if (opts_.keep_sysmon_event && !opts_.keep_sysmon_event(event_id_of(ev.event_id))) return;
    r.sysmon.push_back(std::move(ev));
  }

  void read_sysmon(od::value v, Report& r) {
    r.sysmon.clear();
    r.sysmon_raw = json::Value();
    r.sysmon_p = Presence::kPresent;
    if (v.type() != od::json_type::array) {
      r.sysmon_raw = convert(v, kTopField);
      if (r.sysmon_raw.is_null()) r.sysmon_p = Presence::kNull;
      return;
    }
    enter(kTopField);
    for (auto e : v.get_array()) {
      od::value ev_v = e.value();
      if (ev_v.type() == od::json_type::object) read_sysmon_event(ev_v, r);
    }
  }

  void read_top(od::document& doc, Report& r) {
    if (doc.type() != od::json_type::object)
      throw ReaderStop{make_error(ErrorCode::kInvalidReport, "the report's top level is not a JSON object", ctx_)};
    enter(0);
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key().value();
      od::value v = field.value();
      auto take = [&](json::Value& slot, Presence& p) {
        slot = convert(v, kTopField);
        p = slot.is_null() ? Presence::kNull : Presence::kPresent;
      };
      if (key == "info") take(r.info, r.info_p);
      else if (key == "debug") take(r.debug, r.debug_p);
      else if (key == "signatures") take(r.signatures, r.signatures_p);
      else if (key == "network") take(r.network, r.network_p);
      else if (key == "curtain") take(r.curtain, r.curtain_p);
      else if (key == "CAPE") take(r.cape, r.cape_p);
      else if (key == "hollowshunter") take(r.hollowshunter, r.hollowshunter_p);
      else if (key == "target") take(r.target, r.target_p);
      else if (key == "behavior") {
        if (v.type() == od::json_type::null) {
          r.behavior = Behavior{};
          r.behavior_p = Presence::kNull;
          counters_.behavior_not_object = false;
        } else {
          read_behavior(v, r);
        }
      } else if (key == "sysmon") {
        if (v.type() == od::json_type::null) {
          r.sysmon.clear();
          r.sysmon_raw = json::Value();
          r.sysmon_p = Presence::kNull;
        } else {
          read_sysmon(v, r);
        }
      }
      // Other keys (statistics, malfamily_tag, ...) are not used by the analysis: skipped unread.
    }
  }

 private:
  const ReadOptions& opts_;
  const std::string& ctx_;
  ReadCounters counters_;
};

bool repairable(simdjson::error_code e) {
  using simdjson::error_code;
  return e == error_code::UTF8_ERROR || e == error_code::STRING_ERROR || e == error_code::T_ATOM_ERROR ||
         e == error_code::F_ATOM_ERROR || e == error_code::N_ATOM_ERROR || e == error_code::NUMBER_ERROR ||
         e == error_code::TAPE_ERROR || e == error_code::INCORRECT_TYPE;
}

struct Attempt {
  simdjson::error_code error = simdjson::SUCCESS;
  std::optional<size_t> offset;  // where the parser stopped, when known
  std::optional<Error> stop;     // a limit or shape problem: final, no repair
};

// One parse of padded text into `out`.
Attempt parse_once(simdjson::padded_string_view text, const ReadOptions& options, const std::string& context,
                   Report& out) {
  Attempt a;
  size_t capacity = std::max<size_t>(text.size(), 64);
  od::parser parser(capacity);
  if (auto e = parser.allocate(capacity, std::max<size_t>(options.max_depth + 2, 16)); e) {
    a.error = e;
    return a;
  }
  od::document doc;
  bool iterating = false;
  auto where = [&]() -> std::optional<size_t> {
    const char* p = nullptr;
    if (iterating && doc.current_location().get(p) == simdjson::SUCCESS && p >= text.data() &&
        p <= text.data() + text.size())
      return static_cast<size_t>(p - text.data());
    return std::nullopt;
  };
  try {
    doc = parser.iterate(text);
    iterating = true;
    Reader reader(options, context);
    reader.read_top(doc, out);
    // ondemand stops after the top-level object; anything but whitespace after it is not one JSON document.
    if (where()) {
      a.error = simdjson::TRAILING_CONTENT;
      a.offset = where();
      return a;
    }
    reader.counters().append_notices(out.notices);
  } catch (const simdjson::simdjson_error& e) {
    a.error = e.error();
    a.offset = where();
  } catch (const ReaderStop& e) {
    a.stop = e.error;
  }
  return a;
}

Error too_large(uint64_t size, uint64_t max_bytes, const std::string& what, const std::string& context) {
  return make_error(ErrorCode::kTooLarge,
                    what + " is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(max_bytes),
                    context);
}

std::string describe_json_error(simdjson::error_code e, std::optional<size_t> offset) {
  std::string msg = "not valid JSON";
  if (offset) msg += " at byte " + std::to_string(*offset);
  return msg + ": " + simdjson::error_message(e);
}

// Parses padded text; the text is read in place (no copy) unless it needs repair.
StatusOr<Report> parse_padded(simdjson::padded_string_view text, const ReadOptions& options,
                              const std::string& context) {
  if (text.size() > options.max_bytes) return too_large(text.size(), options.max_bytes, "the report", context);
  Report report;
  Attempt a = parse_once(text, options, context, report);
  if (a.stop) return *a.stop;
  if (a.error != simdjson::SUCCESS && repairable(a.error)) {
    RepairResult fixed = repair_python_json(text);
    if (fixed.changed()) {
      // Spare capacity serves as simdjson's padding, so the repaired text is not copied again.
      fixed.text.reserve(fixed.text.size() + simdjson::SIMDJSON_PADDING);
      Report second;
      Attempt b = parse_once(simdjson::padded_string_view(fixed.text), options, context, second);
      if (b.stop) return *b.stop;
      if (b.error == simdjson::SUCCESS) {
        auto repairs = fixed.notices();
        second.notices.insert(second.notices.begin(), repairs.begin(), repairs.end());
        second.source_bytes = text.size();
        return second;
      }
      // The repaired text still fails: report the original problem, where it is in the file.
    }
  }
  if (a.error == simdjson::EMPTY) return make_error(ErrorCode::kNotJson, "the file is empty", context);
  if (a.error != simdjson::SUCCESS)
    return make_error(ErrorCode::kInvalidJson, describe_json_error(a.error, a.offset), context);
  report.source_bytes = text.size();
  return report;
}

bool looks_like_zip(std::string_view head) { return head.size() >= 2 && head.substr(0, 2) == "PK"; }

// The report entry of a lite zip: reports/lite.json, possibly under a task-id folder.
zip_int64_t find_report_entry(zip_t* za) {
  zip_int64_t idx = zip_name_locate(za, "reports/lite.json", 0);
  if (idx >= 0) return idx;
  zip_int64_t n = zip_get_num_entries(za, 0);
  constexpr std::string_view kSuffix = "/reports/lite.json";
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(za, static_cast<zip_uint64_t>(i), 0);
    if (!name) continue;
    std::string_view nv(name);
    if (nv.size() > kSuffix.size() && nv.substr(nv.size() - kSuffix.size()) == kSuffix) return i;
  }
  return -1;
}

// Inflates reports/lite.json of a lite zip into a padded buffer (size limit applied before inflating).
StatusOr<simdjson::padded_string> read_zip_entry(const std::string& zip_path, uint64_t max_bytes) {
  int zerr = 0;
  zip_t* za = zip_open(zip_path.c_str(), ZIP_RDONLY, &zerr);
  if (!za) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    std::string msg = std::string("not a readable zip archive: ") + zip_error_strerror(&ze);
    zip_error_fini(&ze);
    return make_error(ErrorCode::kZipInvalid, msg, zip_path);
  }
  std::unique_ptr<zip_t, void (*)(zip_t*)> guard(za, [](zip_t* z) { zip_discard(z); });
  zip_int64_t idx = find_report_entry(za);
  if (idx < 0) return make_error(ErrorCode::kZipNoReport, "the zip has no reports/lite.json", zip_path);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(za, static_cast<zip_uint64_t>(idx), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    return make_error(ErrorCode::kZipInvalid, "cannot read the size of reports/lite.json", zip_path);
  if (st.size > max_bytes) return too_large(st.size, max_bytes, "reports/lite.json", zip_path);
  zip_file_t* zf = zip_fopen_index(za, static_cast<zip_uint64_t>(idx), 0);
  if (!zf)
    return make_error(ErrorCode::kZipInvalid, std::string("cannot open reports/lite.json: ") + zip_strerror(za),
                      zip_path);
  simdjson::padded_string out(static_cast<size_t>(st.size));
  if (!out.data()) {
    zip_fclose(zf);
    return make_error(ErrorCode::kTooLarge, "not enough memory for reports/lite.json", zip_path);
  }
  zip_uint64_t got = 0;
  bool read_error = false;
  while (got < st.size) {
    zip_int64_t n = zip_fread(zf, out.data() + got, st.size - got);
    if (n < 0) read_error = true;
    if (n <= 0) break;
    got += static_cast<zip_uint64_t>(n);
  }
  // One more read detects an entry that inflates to more than its declared size (and checks the CRC at the end).
  char extra;
  zip_int64_t more = read_error ? 0 : zip_fread(zf, &extra, 1);
  zip_fclose(zf);
  if (read_error || got != st.size || more != 0)
    return make_error(ErrorCode::kZipInvalid, "reports/lite.json is truncated or corrupt in the zip", zip_path);
  return out;
}

}  // namespace

StatusOr<Report> parse_report(std::string_view text, const ReadOptions& options, const std::string& context) {
  try {
    if (text.size() > options.max_bytes) return too_large(text.size(), options.max_bytes, "the report", context);
    simdjson::padded_string padded(text.data(), text.size());
    return parse_padded(padded, options, context);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::kTooLarge, "not enough memory to read the report", context);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal, std::string("internal error while reading the report: ") + e.what(),
                      context);
  }
}

StatusOr<std::string> read_lite_json_from_zip(const std::string& zip_path, uint64_t max_bytes) {
  auto entry = read_zip_entry(zip_path, max_bytes);
  if (!entry.ok()) return entry.error();
  return std::string(entry.value().data(), entry.value().size());
}

StatusOr<Report> read_report_file(const std::string& path, const ReadOptions& options) {
  try {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
      return make_error(ErrorCode::kUnreadable, "cannot open file: " + (ec ? ec.message() : "no such file"), path);
    if (std::filesystem::is_directory(status))
      return make_error(ErrorCode::kUnreadable, "is a directory, not a report file", path);
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
    if (!f) return make_error(ErrorCode::kUnreadable, std::string("cannot open file: ") + std::strerror(errno), path);
    char head[2] = {0, 0};
    size_t head_len = std::fread(head, 1, sizeof head, f.get());
    if (looks_like_zip(std::string_view(head, head_len))) {
      f.reset();
      auto entry = read_zip_entry(path, options.max_bytes);
      if (!entry.ok()) return entry.error();
      return parse_padded(entry.value(), options, path + ":reports/lite.json");
    }
    if (!std::filesystem::is_regular_file(status))
      return make_error(ErrorCode::kUnreadable, "not a regular file", path);
    uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) return make_error(ErrorCode::kUnreadable, "cannot read the file size: " + ec.message(), path);
    if (size > options.max_bytes) return too_large(size, options.max_bytes, "the report", path);
    // Read straight into simdjson's padded buffer: the file is held in memory once.
    simdjson::padded_string text(static_cast<size_t>(size));
    if (!text.data()) return make_error(ErrorCode::kTooLarge, "not enough memory to read the report", path);
    if (head_len > size) return make_error(ErrorCode::kUnreadable, "the file changed while read", path);
    std::memcpy(text.data(), head, head_len);
    size_t got = head_len + std::fread(text.data() + head_len, 1, size - head_len, f.get());
    if (got != size) return make_error(ErrorCode::kUnreadable, "short read (the file changed while read?)", path);
    std::string_view view(text.data(), text.size());
    size_t first = view.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return make_error(ErrorCode::kNotJson, "the file is empty", path);
    if (view[first] != '{' && view[first] != '[')
      return make_error(ErrorCode::kNotJson, "neither a JSON report nor a zip archive", path);
    return parse_padded(text, options, path);
  } catch (const std::bad_alloc&) {
    return make_error(ErrorCode::kTooLarge, "not enough memory to read the report", path);
  } catch (const std::exception& e) {
    return make_error(ErrorCode::kInternal, std::string("internal error while reading the report: ") + e.what(),
                      path);
  }
}

}  // namespace alcape::report
