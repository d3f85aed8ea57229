#include "planning/file_naming.hpp"

#include "core/ascii.hpp"
#include "core/base64.hpp"
#include "data/embedded.hpp"
#include "json/value.hpp"

#include <algorithm>
#include <iterator>
#include <cctype>

namespace alcape::planning {
namespace {

const json::Value& type_to_extension() {
  static const json::Value table = json::Value::parse(data::file("al_type_to_extension.json"));
  return table;
}

constexpr std::string_view kSupportedExtensions[] = {
    "au3", "a3x", "bat", "bin", "cpl", "dll", "doc", "docm", "docx", "dotm", "elf", "eml", "exe",
    "hta", "htm", "html", "hwp", "iso", "jar", "js", "lnk", "mht", "msg", "msi", "pdf", "potm",
    "potx", "pps", "ppsm", "ppsx", "ppt", "pptm", "pptx", "ps1", "pub", "py", "pyc", "rar", "rtf",
    "sh", "swf", "udf", "vbs", "vhd", "wsf", "xls", "xlsm", "xlsx", "zip", "7z"};


int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode_q(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '_') {
      out.push_back(' ');
    } else if (in[i] == '=') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

std::string latin1_to_utf8(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xc0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3f)));
    }
  }
  return out;
}

// One "=?charset?enc?text?=" word; nullopt when malformed or of an unknown charset.
std::optional<std::pair<std::string, std::string>> decode_word(std::string_view word) {
  if (word.size() < 8 || word.substr(0, 2) != "=?" || word.substr(word.size() - 2) != "?=") return std::nullopt;
  std::string_view inner = word.substr(2, word.size() - 4);
  size_t q1 = inner.find('?');
  if (q1 == std::string_view::npos) return std::nullopt;
  size_t q2 = inner.find('?', q1 + 1);
  if (q2 == std::string_view::npos || q2 != q1 + 2) return std::nullopt;
  std::string charset = ascii_lower(inner.substr(0, q1));
  if (size_t star = charset.find('*'); star != std::string::npos) charset.resize(star);  // RFC 2231 language
  char enc = static_cast<char>(std::toupper(static_cast<unsigned char>(inner[q1 + 1])));
  std::string_view text = inner.substr(q2 + 1);
  std::optional<std::string> raw = enc == 'B' ? base64::decode(text, base64::Padding::kLenient) : enc == 'Q' ? decode_q(text) : std::nullopt;
  if (!raw) return std::nullopt;
  return std::make_pair(charset, *raw);
}

}  // namespace

std::optional<std::string> decode_mime_encoded_name(std::string_view name) {
  if (name.size() < 4 || name.substr(0, 2) != "=?" || name.substr(name.size() - 2) != "?=") return std::nullopt;
  // Adjacent encoded words (separated by white space) form one text, as email.header.decode_header merges them.
  std::string charset, raw;
  size_t pos = 0;
  while (pos < name.size()) {
    while (pos < name.size() && std::isspace(static_cast<unsigned char>(name[pos]))) ++pos;
    if (pos >= name.size()) break;
    // The end marker is the "?=" after the third '?' of the word.
    size_t q = name.find('?', pos + 2);
    if (q != std::string_view::npos) q = name.find('?', q + 1);
    if (q == std::string_view::npos) return std::nullopt;
    size_t end = name.find("?=", q + 1);
    if (end == std::string_view::npos) return std::nullopt;
    auto word = decode_word(name.substr(pos, end + 2 - pos));
    if (!word) return std::nullopt;
    if (charset.empty()) charset = word->first;
    raw += word->second;
    pos = end + 2;
  }
  if (charset == "utf-8" || charset == "utf8" || charset == "us-ascii" || charset == "ascii") {
    if (!valid_utf8(raw)) return std::nullopt;
    return raw;
  }
  if (charset == "iso-8859-1" || charset == "latin1" || charset == "latin-1" || charset == "windows-1252" ||
      charset == "cp1252") {
    return latin1_to_utf8(raw);
  }
  return std::nullopt;
}

std::string remove_illegal_characters(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (std::string_view("<>:\"/\\|?*").find(c) != std::string_view::npos) continue;
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) continue;  // beyond the reference: control characters
    out.push_back(c);
  }
  size_t start = out.find_first_not_of(" \t\n\r\f\v");
  return start == std::string::npos ? std::string() : out.substr(start);
}

std::optional<std::string> extension_for_type(std::string_view al_file_type) {
  const json::Value* ext = json::find(type_to_extension(), al_file_type);
  if (!ext || !ext->is_string() || ext->get_ref<const std::string&>().empty()) return std::nullopt;
  std::string e = ext->get<std::string>();
  if (e.front() != '.') e.insert(e.begin(), '.');  // the table's "wp" and "lwp" (the reference would glue them on)
  return e;
}

bool is_supported_extension(std::string_view extension) {
  if (extension.empty()) return false;
  return std::find(std::begin(kSupportedExtensions), std::end(kSupportedExtensions), extension) !=
         std::end(kSupportedExtensions);
}

StatusOr<SubmissionName> submission_file_name(std::string_view submitted_name, std::string_view al_file_type) {
  std::string_view base = submitted_name;
  if (size_t slash = base.find_last_of('/'); slash != std::string_view::npos) base = base.substr(slash + 1);
  std::string name(base);
  if (name.size() >= 4 && name.rfind("=?", 0) == 0 && name.compare(name.size() - 2, 2, "?=") == 0) {
    name = decode_mime_encoded_name(name).value_or("sample");
  }
  name = remove_illegal_characters(name);

  size_t dot = name.rfind('.');
  std::string stem = dot == std::string::npos ? name : name.substr(0, dot);
  std::optional<std::string> type_ext = extension_for_type(al_file_type);
  std::string ext;
  if (type_ext && al_file_type.find("unknown") == std::string_view::npos) {
    ext = *type_ext;
  } else if (dot != std::string::npos) {
    std::string given = name.substr(dot + 1);
    if (!is_supported_extension(given)) {
      return make_error(ErrorCode::kInvalidInput,
                        "not submittable: the file type '" + std::string(al_file_type) +
                            "' has no known extension and the file's own extension '." + given +
                            "' is not one CAPE can run",
                        "file " + std::string(submitted_name));
    }
    ext = "." + given;
  } else {
    return make_error(ErrorCode::kInvalidInput,
                      "not submittable: the file type '" + std::string(al_file_type) +
                          "' has no known extension and the file name has none, so CAPE cannot choose how to run it",
                      "file " + std::string(submitted_name));
  }
  if (stem.empty()) stem = "sample";  // beyond the reference: never send a bare ".exe"
  SubmissionName out;
  out.renamed = (stem + ext) != name;
  out.name = stem + ext;
  return out;
}

}  // namespace alcape::planning
