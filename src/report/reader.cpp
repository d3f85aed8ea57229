#include "report/reader.hpp"

#include "report/mapped_file.hpp"
#include "report/repair.hpp"
#include "report/stream_reader.hpp"

#include <simdjson.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <unordered_set>
#include <unistd.h>
#include <vector>

namespace alcape::report {
namespace {

namespace od = simdjson::ondemand;

// Thrown inside the reader for limits the JSON grammar does not know about; caught in parse_report.
struct LimitExceeded {
  Error error;
};

class Reader {
 public:
  Reader(const ReadOptions& o, const std::string& ctx) : opts_(o), ctx_(ctx) {}

  json::Value convert(od::value v, size_t depth) {
    if (depth > opts_.max_depth)
      throw LimitExceeded{make_error(ErrorCode::kTooDeep,
                                     "JSON nesting deeper than " + std::to_string(opts_.max_depth) + " levels", ctx_)};
    switch (v.type()) {
      case od::json_type::object: {
        json::Value out = json::Value::object();
        for (auto field : v.get_object()) {
          std::string key(field.unescaped_key().value());
          // Python dicts keep the first position of a repeated key and its last value.
          out[key] = convert(field.value(), depth + 1);
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
      case od::json_type::number: return convert_number(v);
    }
    return nullptr;
  }

  json::Value convert_number(od::value v) {
    od::number_type nt;
    auto t = v.get_number_type();
    if (t.error()) {
      // Integers beyond 64 bits: Python keeps them exact; we keep the value as a double.
      std::string_view raw = v.raw_json_token();
      return std::strtod(std::string(raw).c_str(), nullptr);
    }
    nt = t.value();
    switch (nt) {
      case od::number_type::signed_integer: return v.get_int64().value();
      case od::number_type::unsigned_integer: return v.get_uint64().value();
      case od::number_type::floating_point_number: return v.get_double().value();
      default: {
        std::string_view raw = v.raw_json_token();
        return std::strtod(std::string(raw).c_str(), nullptr);
      }
    }
  }

  void read_calls(od::array calls, Process& p) {
    std::unordered_set<std::string> seen;
    for (auto c : calls) {
      od::value cv = c.value();
      if (cv.type() != od::json_type::object) continue;
      Call call;
      bool has_api = false, drop = false;
      json::Value args;
      for (auto field : cv.get_object()) {
        std::string_view key = field.unescaped_key().value();
        od::value fv = field.value();
        if (key == "api") {
          if (fv.type() == od::json_type::string) {
            call.api = std::string(fv.get_string().value());
            has_api = true;
            if (opts_.keep_call && !opts_.keep_call(call.api)) drop = true;
          }
        } else if (key == "category") {
          if (fv.type() == od::json_type::string) call.category = std::string(fv.get_string().value());
        } else if (key == "arguments") {
          if (!drop) args = convert(fv, 4);
        }
      }
      if (!has_api || drop) continue;
      call.arguments = std::move(args);
      std::string key = call.api;
      key += '\0';
      key += call.category.value_or("\x01");
      key += '\0';
      key += call.arguments.dump();
      if (seen.insert(std::move(key)).second) p.calls.push_back(std::move(call));
    }
  }

  void read_behavior(od::value v, Report& r) {
    r.behavior_p = Presence::kPresent;
    if (v.type() != od::json_type::object) {
      r.notices.push_back("behavior is not an object; its processes were not read");
      return;
    }
    for (auto field : v.get_object()) {
      std::string key(field.unescaped_key().value());
      od::value fv = field.value();
      if (key != "processes") {
        r.behavior.fields[key] = convert(fv, 2);
        continue;
      }
      if (fv.type() != od::json_type::array) {
        r.behavior.fields[key] = convert(fv, 2);
        continue;
      }
      r.behavior.has_processes = true;
      for (auto pe : fv.get_array()) {
        od::value pv = pe.value();
        if (pv.type() != od::json_type::object) {
          r.notices.push_back("a behavior.processes entry is not an object and was skipped");
          continue;
        }
        Process p;
        for (auto pf : pv.get_object()) {
          std::string pkey(pf.unescaped_key().value());
          od::value pfv = pf.value();
          if (pkey == "calls" && pfv.type() == od::json_type::array) {
            p.has_calls = true;
            read_calls(pfv.get_array(), p);
          } else {
            p.fields[pkey] = convert(pfv, 3);
          }
        }
        r.behavior.processes.push_back(std::move(p));
      }
    }
  }

  static int event_id_of(const json::Value& id) {
    if (id.is_number_integer()) return static_cast<int>(id.get<int64_t>());
    if (id.is_string()) {
      const std::string& s = id.get_ref<const std::string&>();
      char* end = nullptr;
      long v = std::strtol(s.c_str(), &end, 10);
      if (end && *end == '\0' && !s.empty()) return static_cast<int>(v);
    }
    return -1;
  }

  void read_sysmon_data_item(od::value item, SysmonEvent& ev) {
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

  void read_sysmon(od::value v, Report& r) {
    r.sysmon_p = Presence::kPresent;
    if (v.type() != od::json_type::array) {
      r.sysmon_raw = convert(v, 1);
      if (r.sysmon_raw.is_null()) r.sysmon_p = Presence::kNull;
      return;
    }
    for (auto e : v.get_array()) {
      od::value ev_v = e.value();
      if (ev_v.type() != od::json_type::object) continue;
      SysmonEvent ev;
      bool has_id = false;
      for (auto f : ev_v.get_object()) {
        std::string_view k = f.unescaped_key().value();
        od::value fv = f.value();
        if (k == "System" && fv.type() == od::json_type::object) {
          for (auto sf : fv.get_object()) {
            if (sf.unescaped_key().value() == "EventID") {
              ev.event_id = convert(sf.value(), 3);
              has_id = true;
            }
          }
        } else if (k == "EventData" && fv.type() == od::json_type::object) {
          for (auto df : fv.get_object()) {
            if (df.unescaped_key().value() != "Data") continue;
            od::value data = df.value();
            if (data.type() == od::json_type::array) {
              for (auto item : data.get_array()) read_sysmon_data_item(item.value(), ev);
            } else {
              read_sysmon_data_item(data, ev);
            }
          }
        }
      }
      if (!has_id) continue;
      if (opts_.keep_sysmon_event && !opts_.keep_sysmon_event(event_id_of(ev.event_id))) continue;
      r.sysmon.push_back(std::move(ev));
    }
  }

  void read_top(od::document& doc, Report& r) {
    if (doc.type() != od::json_type::object)
      throw LimitExceeded{make_error(ErrorCode::kInvalidReport, "the report's top level is not a JSON object", ctx_)};
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key().value();
      od::value v = field.value();
      auto take = [&](json::Value& slot, Presence& p) {
        slot = convert(v, 1);
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
          r.behavior_p = Presence::kNull;
        } else {
          read_behavior(v, r);
        }
      } else if (key == "sysmon") {
        if (v.type() == od::json_type::null) r.sysmon_p = Presence::kNull;
        else read_sysmon(v, r);
      }
      // Other keys (statistics, malfamily_tag, ...) are not used by the analysis.
    }
  }

 private:
  const ReadOptions& opts_;
  const std::string& ctx_;
};

bool repairable(simdjson::error_code e) {
  using simdjson::error_code;
  return e == error_code::UTF8_ERROR || e == error_code::STRING_ERROR || e == error_code::T_ATOM_ERROR ||
         e == error_code::F_ATOM_ERROR || e == error_code::N_ATOM_ERROR || e == error_code::NUMBER_ERROR ||
         e == error_code::TAPE_ERROR || e == error_code::INCORRECT_TYPE;
}

// One parse attempt; returns the simdjson error (SUCCESS when the report was read).
simdjson::error_code parse_once(std::string_view text, const ReadOptions& options, const std::string& context,
                                Report& out, std::optional<Error>& limit_error) {
  simdjson::padded_string padded(text);
  od::parser parser(std::max<size_t>(text.size(), 64));
  if (auto e = parser.allocate(std::max<size_t>(text.size(), 64), std::max<size_t>(options.max_depth + 2, 16)); e)
    return e;
  try {
    od::document doc = parser.iterate(padded);
    Reader reader(options, context);
    reader.read_top(doc, out);
  } catch (const simdjson::simdjson_error& e) {
    return e.error();
  } catch (const LimitExceeded& e) {
    limit_error = e.error;
    return simdjson::SUCCESS;
  }
  return simdjson::SUCCESS;
}

bool looks_like_zip(std::string_view head) { return head.size() >= 4 && head.substr(0, 2) == "PK"; }

}  // namespace

StatusOr<Report> parse_report(std::string_view text, const ReadOptions& options, const std::string& context) {
  if (text.size() > options.max_bytes)
    return make_error(ErrorCode::kTooLarge,
                      "report is " + std::to_string(text.size()) + " bytes, over the limit of " +
                          std::to_string(options.max_bytes),
                      context);
  Report report;
  std::optional<Error> limit;
  auto err = parse_once(text, options, context, report, limit);
  if (limit) return *limit;
  if (err != simdjson::SUCCESS && repairable(err)) {
    RepairResult fixed = repair_python_json(text);
    if (fixed.changed()) {
      Report second;
      limit.reset();
      auto err2 = parse_once(fixed.text, options, context, second, limit);
      if (limit) return *limit;
      if (err2 == simdjson::SUCCESS) {
        for (auto& n : fixed.notices()) second.notices.insert(second.notices.begin(), n);
        second.source_bytes = text.size();
        return second;
      }
      err = err2;
    }
  }
  if (err == simdjson::DEPTH_ERROR)
    return make_error(ErrorCode::kTooDeep,
                      "JSON nesting deeper than " + std::to_string(options.max_depth) + " levels", context);
  if (err == simdjson::EMPTY)
    return make_error(ErrorCode::kNotJson, "the file is empty", context);
  if (err != simdjson::SUCCESS)
    return make_error(ErrorCode::kInvalidJson, std::string("not valid JSON: ") + simdjson::error_message(err),
                      context);
  report.source_bytes = text.size();
  return report;
}

StatusOr<std::string> read_lite_json_from_zip(const std::string& zip_path, uint64_t max_bytes) {
  int zerr = 0;
  zip_t* za = zip_open(zip_path.c_str(), ZIP_RDONLY, &zerr);
  if (!za) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    std::string msg = std::string("not a readable zip archive: ") + zip_error_strerror(&ze);
    zip_error_fini(&ze);
    return make_error(ErrorCode::kZipInvalid, msg, zip_path);
  }
  std::unique_ptr<zip_t, int (*)(zip_t*)> guard(za, zip_close);
  zip_int64_t idx = zip_name_locate(za, "reports/lite.json", 0);
  if (idx < 0) {
    // CAPE's lite zip may carry a task-id prefix folder in some versions.
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n; ++i) {
      const char* name = zip_get_name(za, static_cast<zip_uint64_t>(i), 0);
      if (!name) continue;
      std::string_view nv(name);
      if (nv.size() >= 17 && nv.substr(nv.size() - 17) == "reports/lite.json") {
        idx = i;
        break;
      }
    }
  }
  if (idx < 0) return make_error(ErrorCode::kZipNoReport, "the zip has no reports/lite.json", zip_path);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(za, static_cast<zip_uint64_t>(idx), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    return make_error(ErrorCode::kZipInvalid, "cannot read the size of reports/lite.json", zip_path);
  if (st.size > max_bytes)
    return make_error(ErrorCode::kTooLarge,
                      "reports/lite.json is " + std::to_string(st.size) + " bytes, over the limit of " +
                          std::to_string(max_bytes),
                      zip_path);
  zip_file_t* zf = zip_fopen_index(za, static_cast<zip_uint64_t>(idx), 0);
  if (!zf) return make_error(ErrorCode::kZipInvalid, std::string("cannot open reports/lite.json: ") + zip_strerror(za), zip_path);
  std::string out;
  out.resize(static_cast<size_t>(st.size));
  zip_int64_t got = 0;
  while (static_cast<zip_uint64_t>(got) < st.size) {
    zip_int64_t n = zip_fread(zf, out.data() + got, st.size - static_cast<zip_uint64_t>(got));
    if (n <= 0) break;
    got += n;
  }
  // One more read detects an entry that inflates to more than its declared size.
  char extra;
  zip_int64_t more = zip_fread(zf, &extra, 1);
  zip_fclose(zf);
  if (static_cast<zip_uint64_t>(got) != st.size || more > 0)
    return make_error(ErrorCode::kZipInvalid, "reports/lite.json is truncated or corrupt in the zip", zip_path);
  return out;
}

namespace {

// Inflates reports/lite.json of a lite zip into an unlinked temporary file and maps it, so that a large report
// in a zip costs no more memory than a plain one.
StatusOr<std::unique_ptr<MappedFile>> map_lite_json_from_zip(const std::string& zip_path, uint64_t max_bytes) {
  int zerr = 0;
  zip_t* za = zip_open(zip_path.c_str(), ZIP_RDONLY, &zerr);
  if (!za) {
    zip_error_t ze;
    zip_error_init_with_code(&ze, zerr);
    std::string msg = std::string("not a readable zip archive: ") + zip_error_strerror(&ze);
    zip_error_fini(&ze);
    return make_error(ErrorCode::kZipInvalid, msg, zip_path);
  }
  std::unique_ptr<zip_t, int (*)(zip_t*)> guard(za, zip_close);
  zip_int64_t idx = zip_name_locate(za, "reports/lite.json", 0);
  if (idx < 0) return make_error(ErrorCode::kZipNoReport, "the zip has no reports/lite.json", zip_path);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(za, static_cast<zip_uint64_t>(idx), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    return make_error(ErrorCode::kZipInvalid, "cannot read the size of reports/lite.json", zip_path);
  if (st.size > max_bytes)
    return make_error(ErrorCode::kTooLarge,
                      "reports/lite.json is " + std::to_string(st.size) + " bytes, over the limit of " +
                          std::to_string(max_bytes),
                      zip_path);
  zip_file_t* zf = zip_fopen_index(za, static_cast<zip_uint64_t>(idx), 0);
  if (!zf)
    return make_error(ErrorCode::kZipInvalid, std::string("cannot open reports/lite.json: ") + zip_strerror(za), zip_path);
  std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file_guard(zf, zip_fclose);
  const char* tmpdir = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/al-cape-lite-XXXXXX";
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return make_error(ErrorCode::kUnreadable, std::string("cannot create a temporary file: ") + std::strerror(errno), tmpl);
  unlink(tmpl.c_str());
  std::vector<char> buf(1 << 20);
  uint64_t total = 0;
  while (true) {
    zip_int64_t n = zip_fread(zf, buf.data(), buf.size());
    if (n < 0) {
      close(fd);
      return make_error(ErrorCode::kZipInvalid, std::string("reports/lite.json is corrupt: ") + zip_file_strerror(zf), zip_path);
    }
    if (n == 0) break;
    total += static_cast<uint64_t>(n);
    // The declared size can lie: stop inflating as soon as the real size passes it or the limit.
    if (total > st.size || total > max_bytes) {
      close(fd);
      return make_error(ErrorCode::kZipInvalid, "reports/lite.json inflates beyond its declared size", zip_path);
    }
    if (write(fd, buf.data(), static_cast<size_t>(n)) != n) {
      close(fd);
      return make_error(ErrorCode::kUnreadable, std::string("cannot write a temporary file: ") + std::strerror(errno), tmpl);
    }
  }
  if (total != st.size) {
    close(fd);
    return make_error(ErrorCode::kZipInvalid, "reports/lite.json is truncated in the zip", zip_path);
  }
  auto mapped = MappedFile::from_fd(fd, zip_path + ":reports/lite.json");
  close(fd);
  return mapped;
}

}  // namespace

StatusOr<Report> read_report_file(const std::string& path, const ReadOptions& options) {
  auto mapped = MappedFile::open(path);
  if (!mapped.ok()) return mapped.error();
  MappedFile& file = *mapped.value();
  std::string_view head(file.data() ? file.data() : "", std::min<size_t>(file.size(), 4));
  if (looks_like_zip(head)) {
    auto entry = map_lite_json_from_zip(path, options.max_bytes);
    if (!entry.ok()) return entry.error();
    MappedFile& lite = *entry.value();
    return read_report_buffer(lite.data(), lite.size(), options, path + ":reports/lite.json",
                              [&](size_t done) { lite.drop_before(done); });
  }
  if (file.size() > options.max_bytes)
    return make_error(ErrorCode::kTooLarge,
                      "report is " + std::to_string(file.size()) + " bytes, over the limit of " +
                          std::to_string(options.max_bytes),
                      path);
  std::string_view text(file.data() ? file.data() : "", file.size());
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return make_error(ErrorCode::kNotJson, "the file is empty", path);
  if (text[first] != '{' && text[first] != '[')
    return make_error(ErrorCode::kNotJson, "neither a JSON report nor a zip archive", path);
  // Read front to back; pages already read leave the resident set, so a large report costs a window of it.
  return read_report_buffer(file.data(), file.size(), options, path, [&](size_t done) { file.drop_before(done); });
}

}  // namespace alcape::report
