#include "analysis/ontology/ids.hpp"

#include "core/digest.hpp"

#include "core/utf8.hpp"
#include "json/pydump.hpp"

#include <openssl/evp.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

namespace alcape::analysis::ontology {

namespace {

// Decodes one UTF-8 sequence at s[i]; returns the code point and advances i. Invalid bytes give -1 (one byte).
int32_t next_code_point(std::string_view s, size_t& i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return -1;
  }
  int32_t cp = b0 & (0xFF >> (len + 1));
  for (int k = 1; k < len; ++k) {
    auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += len;
  return cp;
}

void append_utf8(std::string& out, int32_t cp) { utf8::append(out, static_cast<char32_t>(cp)); }

// str.isprintable() for a code point: false for the Unicode categories Cc, Cf, Cs, Co, Zl, Zp and Zs (except the
// space). Unassigned code points (Cn) are treated as printable, except the non-characters U+FFFE/U+FFFF.
bool is_printable(int32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD) return false;
  if (cp < 0x300) return true;
  static const std::pair<int32_t, int32_t> kRanges[] = {
      {0x600, 0x605},     {0x61C, 0x61C},     {0x6DD, 0x6DD},     {0x70F, 0x70F},     {0x890, 0x891},
      {0x8E2, 0x8E2},     {0x1680, 0x1680},   {0x180E, 0x180E},   {0x2000, 0x200F},   {0x2028, 0x202F},
      {0x205F, 0x2064},   {0x2066, 0x206F},   {0x3000, 0x3000},   {0xD800, 0xF8FF},   {0xFEFF, 0xFEFF},
      {0xFFF9, 0xFFFB},   {0xFFFE, 0xFFFF},   {0x110BD, 0x110BD}, {0x110CD, 0x110CD}, {0x13430, 0x1343F},
      {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F}, {0xF0000, 0x10FFFF},
  };
  for (const auto& [lo, hi] : kRanges)
    if (cp >= lo && cp <= hi) return false;
  return true;
}

void append_escape(std::string& out, int32_t cp) {
  char buf[16];
  if (cp < 0x100) std::snprintf(buf, sizeof buf, "\\x%02x", cp);
  else if (cp < 0x10000) std::snprintf(buf, sizeof buf, "\\u%04x", cp);
  else std::snprintf(buf, sizeof buf, "\\U%08x", cp);
  out += buf;
}

void repr_into(std::string& out, const json::Value& v);

// get_recursive_sorted_tuples(dict) rendered: [('k', v), ...] sorted by key.
void repr_sorted_tuples(std::string& out, const json::Value& obj) {
  std::vector<std::pair<std::string, const json::Value*>> items;
  for (auto it = obj.begin(); it != obj.end(); ++it) items.emplace_back(it.key(), &it.value());
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  out += '[';
  bool first = true;
  for (const auto& [k, val] : items) {
    if (!first) out += ", ";
    first = false;
    out += '(';
    out += python_str_repr(k);
    out += ", ";
    repr_into(out, *val);
    out += ')';
  }
  out += ']';
}

void repr_into(std::string& out, const json::Value& v) {
  switch (v.type()) {
    case json::Value::value_t::null: out += "None"; break;
    case json::Value::value_t::boolean: out += v.get<bool>() ? "True" : "False"; break;
    case json::Value::value_t::number_integer: out += std::to_string(v.get<int64_t>()); break;
    case json::Value::value_t::number_unsigned: out += std::to_string(v.get<uint64_t>()); break;
    case json::Value::value_t::number_float: out += json::py_float_repr(v.get<double>()); break;
    case json::Value::value_t::string: out += python_str_repr(v.get_ref<const std::string&>()); break;
    case json::Value::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v) {
        if (!first) out += ", ";
        first = false;
        repr_into(out, e);
      }
      out += ']';
      break;
    }
    case json::Value::value_t::object: repr_sorted_tuples(out, v); break;
    default: out += "None"; break;
  }
}

const json::Value& get_or_null(const json::Value& d, std::string_view key) { return json::get(d, key); }

// Python str() of a value inside an f-string.
std::string py_str(const json::Value& v) {
  if (v.is_string()) return v.get<std::string>();
  return python_repr(v);
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  if (from.empty()) return s;
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

// Python's str.lower() for the scripts that occur in Windows paths (ASCII, Latin-1, Latin Extended-A, Greek,
// Cyrillic); other characters are kept.
std::string py_lower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    int32_t cp = next_code_point(s, i);
    if (cp < 0) {
      out.append(s.substr(start, i - start));
      continue;
    }
    int32_t lc = cp;
    if (cp >= 'A' && cp <= 'Z') lc = cp + 32;
    else if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)) lc = cp + 32;
    else if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x138 && cp != 0x149 && cp != 0x178) {
      // Latin Extended-A pairs: even/odd, with the 0x139..0x148 and 0x179..0x17E blocks shifted by one.
      bool odd_upper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E);
      if (odd_upper ? (cp % 2 == 1) : (cp % 2 == 0)) lc = cp + 1;
    } else if (cp == 0x178) lc = 0xFF;
    else if (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) lc = cp + 32;
    else if (cp >= 0x410 && cp <= 0x42F) lc = cp + 32;
    else if (cp >= 0x400 && cp <= 0x40F) lc = cp + 80;
    if (lc == cp) out.append(s.substr(start, i - start));
    else append_utf8(out, lc);
  }
  return out;
}

}  // namespace

std::string python_str_repr(std::string_view s) {
  bool has_single = s.find('\'') != std::string_view::npos;
  bool has_double = s.find('"') != std::string_view::npos;
  char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out;
  out.reserve(s.size() + 2);
  out += quote;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    int32_t cp = next_code_point(s, i);
    if (cp < 0) {
      append_escape(out, static_cast<unsigned char>(s[start]));
      continue;
    }
    if (cp == '\\') out += "\\\\";
    else if (cp == quote) {
      out += '\\';
      out += quote;
    } else if (cp == '\t') out += "\\t";
    else if (cp == '\n') out += "\\n";
    else if (cp == '\r') out += "\\r";
    else if (!is_printable(cp)) append_escape(out, cp);
    else out.append(s.substr(start, i - start));
  }
  out += quote;
  return out;
}

std::string python_repr(const json::Value& v) {
  std::string out;
  repr_into(out, v);
  return out;
}

std::string base62(unsigned __int128 n) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  if (n == 0) return "0";
  std::string out;
  while (n > 0) {
    out += kAlphabet[static_cast<int>(n % 62)];
    n /= 62;
  }
  std::reverse(out.begin(), out.end());
  return out;
}


std::string dict_fingerprint_hash(const json::Value& dict) {
  std::string hex = digest::sha256_hex(python_repr(dict.is_object() ? dict : json::Value::object())).substr(0, 32);
  unsigned __int128 n = 0;
  for (char c : hex) n = (n << 4) | static_cast<unsigned>(c <= '9' ? c - '0' : c - 'a' + 10);
  return base62(n);
}

std::string process_oid(const json::Value& data) {
  json::Value d = json::Value::object();
  for (const char* k : {"pid", "ppid", "image", "command_line"}) d[k] = get_or_null(data, k);
  return "process_" + dict_fingerprint_hash(d);
}

std::string sandbox_oid(const json::Value& data) {
  const json::Value& meta = get_or_null(data, "analysis_metadata");
  json::Value d = json::Value::object();
  d["sandbox_name"] = get_or_null(data, "sandbox_name");
  d["sandbox_version"] = get_or_null(data, "sandbox_version");
  d["analysis_metadata.start_time"] = get_or_null(meta, "start_time");
  d["analysis_metadata.end_time"] = get_or_null(meta, "end_time");
  d["analysis_metadata.task_id"] = get_or_null(meta, "task_id");
  return "sandbox_" + dict_fingerprint_hash(d);
}

std::string signature_oid(const json::Value& data) {
  json::Value d = json::Value::object();
  d["name"] = get_or_null(data, "name");
  d["type"] = get_or_null(data, "type");
  return "signature_" + dict_fingerprint_hash(d);
}

std::string signature_tag(const json::Value& data) {
  return py_str(get_or_null(data, "type")) + "." + py_str(get_or_null(data, "name"));
}

std::string network_connection_oid(const json::Value& data) {
  json::Value d = json::Value::object();
  for (const char* k :
       {"source_ip", "source_port", "destination_ip", "destination_port", "transport_layer_protocol", "connection_type"})
    d[k] = get_or_null(data, k);
  const json::Value& type = get_or_null(data, "connection_type");
  std::string prefix = "network";
  if (type == "http") {
    prefix = "network_http";
    const json::Value& http = get_or_null(data, "http_details");
    json::Value h = json::Value::object();
    for (const char* k : {"request_uri", "request_headers", "request_method", "request_body"})
      h[k] = get_or_null(http, k);
    d["http_details"] = std::move(h);
  } else if (type == "dns") {
    prefix = "network_dns";
    const json::Value& dns = get_or_null(data, "dns_details");
    json::Value h = json::Value::object();
    h["domain"] = get_or_null(dns, "domain");
    h["lookup_type"] = get_or_null(dns, "lookup_type");
    d["dns_details"] = std::move(h);
  } else if (type == "smtp") {
    prefix = "network_smtp";
    const json::Value* smtp = json::find(data, "smtp_details");
    d["smtp_details"] = smtp ? *smtp : json::Value::object();
  }
  return prefix + "_" + dict_fingerprint_hash(d);
}

std::string network_connection_tag(const json::Value& data) {
  return py_str(get_or_null(data, "destination_ip")) + ":" + py_str(get_or_null(data, "destination_port"));
}

std::string normalize_path(std::string_view raw) {
  std::string path = py_lower(raw);
  const bool x86_64 =
      path.find("program files (x86)") != std::string::npos || path.find("syswow64") != std::string::npos;
  auto pattern = [&path](std::string_view from, std::string_view to) {
    if (path.rfind(from, 0) == 0) path = replace_all(path, from, to);
  };
  // Order matters (the library's rule list).
  pattern(x86_64 ? "c:\\windows\\syswow64" : "c:\\windows\\system32", "?sys32");
  if (x86_64) pattern("c:\\windows\\system32", "?sys64");
  pattern(x86_64 ? "c:\\program files (x86)" : "c:\\program files", "?pf86");
  if (x86_64) pattern("c:\\program files", "?pf64");
  static const RE2 kUserTemp(R"(c:\\users\\[^\\]+\\appdata\\local\\temp\\)");
  static const RE2 kUser(R"(c:\\users\\[^\\]+\\)");
  RE2::GlobalReplace(&path, kUserTemp, R"(?usrtmp\\)");
  RE2::GlobalReplace(&path, kUser, R"(?usr\\)");
  pattern("c:\\windows\\", "?win\\");
  pattern("c:\\", "?c\\");
  pattern("%windir%", "?win");
  pattern("%samplepath%", "?usrtmp");
  return path;
}

std::string convert_processtree_id_to_tree_id(std::string_view processtree_id) {
  std::string tree_id;
  size_t start = 0;
  while (true) {
    size_t bar = processtree_id.find('|', start);
    std::string_view proc = processtree_id.substr(start, bar == std::string_view::npos ? std::string_view::npos
                                                                                      : bar - start);
    tree_id = digest::sha256_hex(tree_id + std::string(proc));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return tree_id;
}

}  // namespace alcape::analysis::ontology
