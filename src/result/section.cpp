#include "result/section.hpp"

#include "json/pydump.hpp"

#include <cstdio>

namespace alcape::result {

std::string_view to_string(BodyFormat f) {
  switch (f) {
    case BodyFormat::Text: return "TEXT";
    case BodyFormat::KeyValue: return "KEY_VALUE";
    case BodyFormat::Table: return "TABLE";
    case BodyFormat::Multi: return "MULTI";
    case BodyFormat::Sandbox: return "SANDBOX";
    case BodyFormat::Image: return "IMAGE";
    case BodyFormat::Json: return "JSON";
    case BodyFormat::OrderedKeyValue: return "ORDERED_KEY_VALUE";
    case BodyFormat::MemoryDump: return "MEMORY_DUMP";
    case BodyFormat::Divider: return "DIVIDER";
  }
  return "TEXT";
}

namespace {
bool is_empty_value(const json::Value& v) {
  return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty());
}
}  // namespace

bool Tags::add(std::string_view type, const json::Value& value) {
  if (type.empty() || is_empty_value(value)) return false;
  for (auto& [t, vals] : entries_) {
    if (t == type) {
      for (const auto& v : vals)
        if (v == value) return false;
      vals.push_back(value);
      return true;
    }
  }
  entries_.emplace_back(std::string(type), std::vector<json::Value>{value});
  return true;
}

bool Tags::contains(std::string_view type, const json::Value& value) const {
  const auto* vals = values(type);
  if (!vals) return false;
  for (const auto& v : *vals)
    if (v == value) return true;
  return false;
}

bool Tags::has_type(std::string_view type) const { return values(type) != nullptr; }

const std::vector<json::Value>* Tags::values(std::string_view type) const {
  for (const auto& [t, vals] : entries_)
    if (t == type) return &vals;
  return nullptr;
}

json::Value Tags::nested() const {
  json::Value out = json::Value::object();
  for (const auto& [type, vals] : entries_) {
    json::Value* node = &out;
    size_t start = 0;
    while (true) {
      size_t dot = type.find('.', start);
      std::string part = type.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      if (dot == std::string::npos) {
        json::Value list = json::Value::array();
        for (const auto& v : vals) list.push_back(v);
        (*node)[part] = std::move(list);
        break;
      }
      if (!node->contains(part) || !(*node)[part].is_object()) (*node)[part] = json::Value::object();
      node = &(*node)[part];
      start = dot + 1;
    }
  }
  return out;
}

void Heuristic::add_signature_id(const std::string& name, std::optional<int> score, int freq) {
  bool found = false;
  for (auto& [n, f] : signatures) {
    if (n == name) {
      f += freq;
      found = true;
      break;
    }
  }
  if (!found) signatures.emplace_back(name, freq);
  if (score) score_map[name] = *score;
}

bool Heuristic::has_signature(std::string_view name) const {
  for (const auto& [n, f] : signatures)
    if (n == name) return true;
  return false;
}

Section::Section(std::string t, BodyFormat f) : title(safe_str(t)), format(f) {
  switch (f) {
    case BodyFormat::KeyValue:
    case BodyFormat::Sandbox:
    case BodyFormat::Json: data = json::Value::object(); break;
    case BodyFormat::Table:
    case BodyFormat::Multi:
    case BodyFormat::OrderedKeyValue:
    case BodyFormat::Image: data = json::Value::array(); break;
    default: break;
  }
}

void Section::add_line(std::string_view line) {
  std::string s = safe_str(line);
  if (data.is_string() && !data.get_ref<const std::string&>().empty()) {
    data.get_ref<std::string&>() += "\n" + s;
  } else {
    data = std::move(s);
  }
}

void Section::add_lines(const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  std::string segment;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) segment += '\n';
    segment += lines[i];
  }
  if (data.is_string()) data.get_ref<std::string&>() += "\n" + segment;
  else data = std::move(segment);
}

void Section::set_item(const std::string& key, json::Value value) {
  if (!data.is_object()) data = json::Value::object();
  data[key] = std::move(value);
}

void Section::add_row(json::Value row) {
  if (row.is_object() && row.empty()) return;
  if (!data.is_array()) data = json::Value::array();
  std::vector<std::string> keys;
  if (row.is_object())
    for (auto it = row.begin(); it != row.end(); ++it) keys.push_back(it.key());
  data.push_back(std::move(row));
  set_column_order(keys);
}

void Section::set_column_order(const std::vector<std::string>& order) {
  if (order.empty()) return;
  json::Value cols = json::Value::array();
  for (const auto& c : order) cols.push_back(c);
  body_config = json::Value::object();
  body_config["column_order"] = std::move(cols);
}

void Section::add_part(BodyFormat part_format, json::Value part_data, json::Value part_config) {
  if (!data.is_array()) data = json::Value::array();
  json::Value part = json::Value::array();
  part.push_back(std::string(to_string(part_format)));
  part.push_back(std::move(part_data));
  part.push_back(std::move(part_config));
  data.push_back(std::move(part));
}

Heuristic& Section::set_heuristic(int heur_id) {
  if (!heuristic) {
    heuristic.emplace();
    heuristic->heur_id = heur_id;
  }
  return *heuristic;
}

Section& Section::add_child(std::unique_ptr<Section> child) {
  children.push_back(std::move(child));
  return *children.back();
}

Section& Section::add_child(Section&& child) { return add_child(std::make_unique<Section>(std::move(child))); }

Section& Section::add_child(std::string t, BodyFormat f) { return add_child(std::make_unique<Section>(std::move(t), f)); }

std::optional<std::string> Section::body_text() const {
  if (!json::truthy(data)) return std::nullopt;
  if (data.is_string()) return data.get<std::string>();
  return json::py_dumps(data);
}

Section* Section::find_child(std::string_view t) {
  for (auto& c : children)
    if (c->title == t) return c.get();
  return nullptr;
}

const Section* Section::find_child(std::string_view t) const {
  for (const auto& c : children)
    if (c->title == t) return c.get();
  return nullptr;
}

std::string safe_str(std::string_view s) {
  // Keeps valid UTF-8 sequences and printable ASCII plus \t \n \r; every other byte becomes \xNN
  // (assemblyline.common.str_utils.safe_str with reversible=False).
  std::string out;
  out.reserve(s.size());
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  auto in = [](unsigned char b, unsigned lo, unsigned hi) { return b >= lo && b <= hi; };
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = byte(i);
    size_t len = 0;
    if (c == 0x09 || c == 0x0a || c == 0x0d || in(c, 0x20, 0x7e)) len = 1;
    else if (in(c, 0xc2, 0xdf) && i + 1 < s.size() && in(byte(i + 1), 0x80, 0xbf)) len = 2;
    else if (i + 2 < s.size()) {
      unsigned char c1 = byte(i + 1), c2 = byte(i + 2);
      bool tail = in(c2, 0x80, 0xbf);
      if ((c == 0xe0 && in(c1, 0xa0, 0xbf) && tail) || (in(c, 0xe1, 0xec) && in(c1, 0x80, 0xbf) && tail) ||
          (c == 0xed && in(c1, 0x80, 0x9f) && tail) || (in(c, 0xee, 0xef) && in(c1, 0x80, 0xbf) && tail))
        len = 3;
      else if (i + 3 < s.size() && in(byte(i + 3), 0x80, 0xbf) && tail &&
               ((c == 0xf0 && in(c1, 0x90, 0xbf)) || (in(c, 0xf1, 0xf3) && in(c1, 0x80, 0xbf)) ||
                (c == 0xf4 && in(c1, 0x80, 0x8f))))
        len = 4;
    }
    if (len) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
      ++i;
    }
  }
  return out;
}

}  // namespace alcape::result
