#include "planning/file_type.hpp"

#include "core/ascii.hpp"
#include "core/shared_library.hpp"
#include "planning/pe.hpp"

#include <magic.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <memory>
#include <optional>

namespace alcape::planning {
namespace {

constexpr size_t kHeadBytes = 64 * 1024;

bool starts_with(std::span<const uint8_t> b, std::string_view magic, size_t at = 0) {
  return b.size() >= at + magic.size() && std::equal(magic.begin(), magic.end(), b.begin() + at,
                                                      [](char m, uint8_t c) { return static_cast<uint8_t>(m) == c; });
}

bool contains_bytes(std::span<const uint8_t> b, std::string_view needle) {
  auto it = std::search(b.begin(), b.end(), needle.begin(), needle.end(),
                        [](uint8_t c, char n) { return c == static_cast<uint8_t>(n); });
  return it != b.end();
}

uint16_t u16(std::span<const uint8_t> b, size_t off, bool big) {
  if (off + 2 > b.size()) return 0;
  return big ? static_cast<uint16_t>(b[off] << 8 | b[off + 1]) : static_cast<uint16_t>(b[off] | b[off + 1] << 8);
}

uint32_t u32(std::span<const uint8_t> b, size_t off, bool big) {
  if (off + 4 > b.size()) return 0;
  return big ? (uint32_t{b[off]} << 24 | uint32_t{b[off + 1]} << 16 | uint32_t{b[off + 2]} << 8 | b[off + 3])
             : (uint32_t{b[off]} | uint32_t{b[off + 1]} << 8 | uint32_t{b[off + 2]} << 16 | uint32_t{b[off + 3]} << 24);
}

uint64_t u64(std::span<const uint8_t> b, size_t off, bool big) {
  uint64_t lo = u32(b, off + (big ? 4 : 0), big), hi = u32(b, off + (big ? 0 : 4), big);
  return hi << 32 | lo;
}

// ELF: executable, position-independent executable (ET_DYN with a PT_INTERP segment) or shared object.
std::string elf_type(std::span<const uint8_t> b) {
  const bool is64 = b.size() > 4 && b[4] == 2;
  const bool big = b.size() > 5 && b[5] == 2;
  const std::string bits = is64 ? "64" : "32";
  const uint16_t e_type = u16(b, 16, big);
  if (e_type == 2) return "executable/linux/elf" + bits;
  if (e_type != 3) return "executable/linux/elf" + bits;
  const uint64_t phoff = is64 ? u64(b, 32, big) : u32(b, 28, big);
  const uint16_t phentsize = u16(b, is64 ? 54 : 42, big);
  const uint16_t phnum = u16(b, is64 ? 56 : 44, big);
  for (uint16_t i = 0; i < phnum && phentsize >= 4; ++i) {
    const uint64_t off = phoff + uint64_t{i} * phentsize;
    if (off + 4 > b.size()) break;
    if (u32(b, off, big) == 3) return "executable/linux/pie" + bits;  // PT_INTERP
  }
  return "executable/linux/so" + bits;
}

std::string ole_type(std::span<const uint8_t> b) {
  auto utf16 = [](std::string_view s) {
    std::string out;
    for (char c : s) {
      out.push_back(c);
      out.push_back('\0');
    }
    return out;
  };
  if (contains_bytes(b, utf16("WordDocument"))) return "document/office/word";
  if (contains_bytes(b, utf16("Workbook")) || contains_bytes(b, utf16("Book"))) return "document/office/excel";
  if (contains_bytes(b, utf16("PowerPoint Document"))) return "document/office/powerpoint";
  // MSI: the installer CLSID 000C1084-0000-0000-C000-000000000046 as stored (little-endian fields).
  static const std::array<uint8_t, 16> msi = {0x84, 0x10, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00,
                                              0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46};
  if (std::search(b.begin(), b.end(), msi.begin(), msi.end()) != b.end()) return "document/installer/windows";
  return "document/office/ole";
}

std::string zip_type(std::span<const uint8_t> b) {
  if (contains_bytes(b, "[Content_Types].xml") || contains_bytes(b, "_rels/.rels")) {
    if (contains_bytes(b, "word/")) return "document/office/word";
    if (contains_bytes(b, "xl/")) return "document/office/excel";
    if (contains_bytes(b, "ppt/")) return "document/office/powerpoint";
  }
  if (contains_bytes(b, "META-INF/MANIFEST.MF") || contains_bytes(b, ".class")) return "java/jar";
  return "archive/zip";
}

// Text: no NUL bytes and few control characters in the head.
bool looks_like_text(std::string_view s) {
  if (s.empty()) return false;
  size_t control = 0;
  for (unsigned char c : s) {
    if (c == 0) return false;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b) ++control;
  }
  return control * 100 <= s.size();
}


size_t count(const std::string& hay, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + needle.size())) ++n;
  return n;
}

size_t score(const std::string& text, std::initializer_list<std::string_view> markers) {
  size_t s = 0;
  for (auto m : markers) s += std::min<size_t>(count(text, m), 5);
  return s;
}

// Script heuristics over the lower-cased text; the extension decides between close candidates.
std::string script_type(const std::string& text, const std::string& ext) {
  if (text.rfind("\n#!", 0) == 0) {  // the caller prefixes a newline so line-start markers match line 1
    const std::string first = text.substr(0, text.find('\n', 1));
    if (first.find("python") != std::string::npos) return "code/python";
    if (first.find("sh") != std::string::npos) return "code/shell";
    if (first.find("perl") != std::string::npos) return "code/perl";
  }
  if (text.find("<hta:application") != std::string::npos) return "code/hta";
  if ((text.find("<job") != std::string::npos || text.find("<package") != std::string::npos) &&
      text.find("<script") != std::string::npos) {
    return "code/wsf";
  }
  struct Candidate {
    const char* type;
    const char* ext;
    size_t points;
  };
  std::vector<Candidate> c = {
      {"code/batch", "bat",
       score(text, {"@echo off", "\necho ", "\nset ", "goto ", "\n:: ", "\nrem ", "%~dp0", "errorlevel", "setlocal",
                    "start \"\"", "cmd /c", "%temp%", "\ncall "})},
      {"code/ps1", "ps1",
       score(text, {"invoke-", "new-object", "$env:", "write-host", "-executionpolicy", "[system.", "get-",
                    "set-", "param(", "$null", "-bxor", "[convert]::", "foreach-object", "$psscriptroot"})},
      {"code/vbs", "vbs",
       score(text, {"dim ", "createobject(", "wscript.", "end sub", "end function", "on error resume next",
                    "set objshell", "msgbox", "\nsub ", "& vbcrlf"})},
      {"code/javascript", "js",
       score(text, {"function(", "function ", "var ", "let ", "const ", "new activexobject", "document.", "=>",
                    "window.", "eval(", "};", "wscript.createobject"})},
      {"code/python", "py",
       score(text, {"import ", "def ", "print(", "__name__", "self.", "elif ", "from ", "except "})},
      {"code/html", "html", score(text, {"<html", "<!doctype html", "<body", "<head", "<div", "<script"})},
  };
  // The file's own extension counts as strong evidence when its content fits at all.
  for (auto& cand : c) {
    if (cand.points > 0 && (ext == cand.ext || (ext == "htm" && std::string_view(cand.ext) == "html") ||
                            (ext == "cmd" && std::string_view(cand.ext) == "bat"))) {
      cand.points += 10;
    }
  }
  auto best = std::max_element(c.begin(), c.end(), [](const Candidate& a, const Candidate& b) {
    return a.points < b.points;
  });
  if (best->points >= 2) return best->type;
  return "text/plain";
}

// libmagic, loaded on first use like libcurl (core/shared_library.hpp): only `analyze` and the service need it.
struct MagicApi {
  decltype(&::magic_open) open = nullptr;
  decltype(&::magic_load) load = nullptr;
  decltype(&::magic_buffer) buffer = nullptr;
  decltype(&::magic_close) close = nullptr;
};

const MagicApi* magic_api() {
  static const std::optional<MagicApi> api = []() -> std::optional<MagicApi> {
    auto lib = SharedLibrary::open(ALCAPE_MAGIC_SONAME);
    MagicApi a;
    if (!lib.ok() || !lib->bind("magic_open", a.open).ok() || !lib->bind("magic_load", a.load).ok() ||
        !lib->bind("magic_buffer", a.buffer).ok() || !lib->bind("magic_close", a.close).ok())
      return std::nullopt;
    return a;
  }();
  return api ? &*api : nullptr;
}

// libmagic (MIME type) for what the checks above do not know. Without libmagic or its database the type is
// "unknown", as for a file libmagic does not know.
std::string from_libmagic(std::span<const uint8_t> b) {
  const MagicApi* api = magic_api();
  if (!api) return "unknown";
  struct Closer {
    const MagicApi* api;
    void operator()(magic_t m) const { api->close(m); }
  };
  thread_local std::unique_ptr<std::remove_pointer_t<magic_t>, Closer> cookie = [api] {
    std::unique_ptr<std::remove_pointer_t<magic_t>, Closer> m(api->open(MAGIC_MIME_TYPE), Closer{api});
    if (m && api->load(m.get(), nullptr) != 0) m.reset();
    return m;
  }();
  if (!cookie) return "unknown";
  const char* mime = api->buffer(cookie.get(), b.data(), b.size());
  if (!mime) return "unknown";
  const std::string m = mime;
  static const std::pair<const char*, const char*> table[] = {
      {"application/x-7z-compressed", "archive/7-zip"}, {"application/vnd.rar", "archive/rar"},
      {"application/x-rar", "archive/rar"},            {"application/gzip", "archive/gzip"},
      {"application/x-xz", "archive/xz"},              {"application/x-bzip2", "archive/bzip2"},
      {"application/x-iso9660-image", "archive/iso"},  {"application/x-tar", "archive/tar"},
      {"application/x-ms-shortcut", "shortcut/windows"}, {"application/x-shockwave-flash", "audiovisual/flash"},
      {"message/rfc822", "document/email"},            {"application/vnd.ms-cab-compressed", "archive/cabinet"},
      {"application/x-msi", "document/installer/windows"}, {"text/rtf", "document/office/rtf"},
      {"application/pdf", "document/pdf"},             {"image/jpeg", "image/jpg"},
      {"image/png", "image/png"},                      {"image/gif", "image/gif"},
  };
  for (const auto& [mime_type, al_type] : table) {
    if (m == mime_type) return al_type;
  }
  if (m == "application/x-empty" || m == "inode/x-empty") return "empty";
  if (m.rfind("text/", 0) == 0) return "text/plain";
  return "unknown";
}

}  // namespace

std::string identify_file_type(std::span<const uint8_t> bytes, std::string_view file_name) {
  if (bytes.empty()) return "empty";
  if (starts_with(bytes, "MZ")) {
    if (auto pe = parse_pe(bytes)) {
      const std::string bits = pe->pe64 ? "64" : "32";
      return std::string("executable/windows/") + (pe->dll ? "dll" : "pe") + bits;
    }
    return "executable/windows/dos";
  }
  if (starts_with(bytes, "\x7f" "ELF")) return elf_type(bytes);
  if (starts_with(bytes, "PK\x03\x04")) return zip_type(bytes);
  if (starts_with(bytes, "Rar!\x1a\x07")) return "archive/rar";
  if (starts_with(bytes, "7z\xbc\xaf\x27\x1c")) return "archive/7-zip";
  if (starts_with(bytes, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")) return ole_type(bytes);
  if (starts_with(bytes, "{\\rtf")) return "document/office/rtf";
  if (starts_with(bytes, std::string_view("L\0\0\0\x01\x14\x02\0", 8))) return "shortcut/windows";
  if (starts_with(bytes, "ITSF")) return "archive/chm";
  if (starts_with(bytes, "FWS") || starts_with(bytes, "CWS") || starts_with(bytes, "ZWS")) return "audiovisual/flash";
  if (starts_with(bytes, "CD001", 0x8001) || starts_with(bytes, "CD001", 0x8801)) return "archive/iso";
  if (starts_with(bytes, "conectix")) return "archive/vhd";
  if (contains_bytes(bytes.first(std::min<size_t>(bytes.size(), 1024)), "%PDF-")) return "document/pdf";

  // Text: UTF-16LE with BOM is narrowed to its low bytes for the heuristics.
  std::string text;
  if (starts_with(bytes, "\xff\xfe")) {
    for (size_t i = 2; i + 1 < bytes.size(); i += 2) text.push_back(bytes[i + 1] == 0 ? char(bytes[i]) : '?');
  } else {
    size_t skip = starts_with(bytes, "\xef\xbb\xbf") ? 3 : 0;
    text.assign(reinterpret_cast<const char*>(bytes.data()) + skip, bytes.size() - skip);
  }
  if (looks_like_text(text)) {
    std::string ext;
    if (size_t dot = file_name.rfind('.'); dot != std::string_view::npos) ext = ascii_lower(file_name.substr(dot + 1));
    return script_type("\n" + ascii_lower(text), ext);
  }
  return from_libmagic(bytes);
}

StatusOr<std::string> identify_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kUnreadable, "cannot open the file", path.string());
  std::vector<uint8_t> head(kHeadBytes);
  in.read(reinterpret_cast<char*>(head.data()), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) return make_error(ErrorCode::kUnreadable, "cannot read the file", path.string());
  return identify_file_type(head, path.filename().string());
}

}  // namespace alcape::planning
