#include "analysis/stages/commands.hpp"

#include "core/base64.hpp"
#include "core/utf8.hpp"
#include <re2/re2.h>

#include <algorithm>
#include <memory>

namespace alcape::analysis {

namespace {

// multidecoder's shell decoders (decoders/shell.py) work on bytes with the `regex` module: ASCII-only classes and
// case folding. RE2 in Latin-1 mode gives the same byte semantics; Python's bytes \s also matches \v, RE2's does
// not, hence the explicit class.
#define WS "[\\t\\n\\v\\f\\r ]"

std::unique_ptr<RE2> bytes_re(const std::string& pattern) {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingLatin1);
  o.set_log_errors(false);
  return std::make_unique<RE2>(pattern, o);
}

const RE2& cmd_re() {
  static const auto re = bytes_re(
      R"re((?i)("(?:C:\\WINDOWS\\system32\\)?\bcmd(?:.exe)?"|(?:C:\\Windows\\System32\\)?\bc\^?m\^?d\b)[^\x00]*)re");
  return *re;
}

const RE2& powershell_indicator_re() {
  static const auto re = bytes_re(
      R"re((?i)(?:^|/c|/k|/r|[;,=&'"({\\]))re" WS
      R"re(*(\^?\bp\^?(?:o\^?w\^?e\^?r\^?s\^?h\^?e\^?l\^?l|w\^?s\^?h)(?:\^?.\^?e\^?x\^?e)?)\b)re");
  return *re;
}

const RE2& enc_re() {
  static const auto re = bytes_re(
      R"re((?i)"?(?:(?:\^?)re" WS R"re()*\^?(?:)re" WS R"re(\^?-|/)[a-z^]+)*(?:\^?)re" WS R"re()*\^?(?:)re" WS R"re(\^?-|/)\^?)re"
      R"re(e\^?(?:c|n\^?(?:c\^?(?:o\^?(?:d\^?(?:e\^?(?:d\^?(?:c\^?(?:o\^?(?:m\^?(?:m\^?(?:a\^?(?:n\^?d?)?)?)?)?)?)?)?)?)?)?)?)?)re"
      R"re((?:\^?)re" WS R"re()+\^?["']?[a-z0-9+/^]{4,}=?\^?=?\^?['"]?)re");
  return *re;
}

const RE2& powershell_args_re() {
  static const auto re = bytes_re(WS "*(powershell|pwsh)?(.exe)?" WS "*((-|/)[^\\t\\n\\v\\f\\r ]+" WS "+)*");
  return *re;
}

const RE2& cmd_end_re() {
  static const auto re = bytes_re(R"re((?i)&|/(c|k|r))re");
  return *re;
}

#undef WS

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// bytes.split(): runs of ASCII whitespace separate, no empty items.
std::vector<std::string> split_ws(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !is_space(s[j])) ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, size_t count, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < count && i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string strip_ws(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// s[start:end] with Python's slice rules (negative end counts from the end).
std::string py_slice(const std::string& s, int64_t start, int64_t end) {
  const auto n = static_cast<int64_t>(s.size());
  auto norm = [n](int64_t i) { return i < 0 ? std::max<int64_t>(0, i + n) : std::min(i, n); };
  start = norm(start);
  end = norm(end);
  return start < end ? s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start)) : std::string();
}

// strip_carets: cmd's escape character outside double-quoted strings.
std::string strip_carets(const std::string& cmd) {
  bool in_string = false;
  std::string out;
  size_t i = 0;
  const size_t n = cmd.size();
  while (n > 0 && i < n - 1) {
    char c = cmd[i];
    if (c == '"') {
      in_string = !in_string;
    } else if (c == '\r') {
      in_string = false;
    } else if (c == '^' && !in_string) {
      ++i;
      if (cmd[i] == '\r') i += 2;  // skip \r\n
      if (i >= n) return out;      // the reference raises IndexError here
    }
    out += cmd[i];
    ++i;
  }
  if (i < n && (cmd[i] != '^' || in_string)) out += cmd[i];
  return out;
}

void append_utf8(char32_t cp, std::string& out) { utf8::append(out, cp); }

// bytes.decode("utf-16", errors="ignore").encode(): a BOM picks the byte order (little-endian otherwise); a
// trailing odd byte and unpaired surrogates are dropped.
std::string utf16_to_utf8(const std::string& b) {
  size_t i = 0;
  bool big_endian = false;
  auto byte = [&b](size_t k) { return static_cast<unsigned char>(b[k]); };
  if (b.size() >= 2 && byte(0) == 0xFF && byte(1) == 0xFE) {
    i = 2;
  } else if (b.size() >= 2 && byte(0) == 0xFE && byte(1) == 0xFF) {
    i = 2;
    big_endian = true;
  }
  auto unit = [&](size_t k) -> char32_t {
    return big_endian ? (byte(k) << 8 | byte(k + 1)) : (byte(k + 1) << 8 | byte(k));
  };
  std::string out;
  while (i + 1 < b.size()) {
    char32_t u = unit(i);
    i += 2;
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (i + 1 < b.size()) {
        char32_t lo = unit(i);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          i += 2;
          append_utf8(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00), out);
        }
      }
      continue;  // an unpaired high surrogate is dropped
    }
    if (u >= 0xDC00 && u <= 0xDFFF) continue;
    append_utf8(u, out);
  }
  return out;
}

// The quote left on a first word that does not start with it ('cmd.exe"' of '"C:\...\cmd.exe"').
void strip_trailing_quote(std::string& word) {
  if (word.empty()) return;
  if ((word.front() != '"' && word.back() == '"') || (word.front() != '\'' && word.back() == '\'')) word.pop_back();
}

// find_powershell_strings: the value of each top-level node.
std::vector<std::string> find_powershell_strings(const std::string& data) {
  std::vector<std::string> out;
  re2::StringPiece text(data);
  size_t pos = 0;
  re2::StringPiece m[2];
  while (pos <= data.size() && powershell_indicator_re().Match(text, pos, data.size(), RE2::UNANCHORED, m, 2)) {
    const size_t start = static_cast<size_t>(m[1].data() - data.data());
    const size_t indicator_end = static_cast<size_t>(m[0].data() - data.data()) + m[0].size();
    pos = indicator_end > pos ? indicator_end : pos + 1;

    re2::StringPiece enc;
    const bool has_enc = enc_re().Match(text, indicator_end, data.size(), RE2::ANCHOR_START, &enc, 1);
    std::string powershell;
    if (has_enc) {
      powershell = data.substr(start, indicator_end + enc.size() - start);
    } else {
      // The string or cmd FOR loop the invocation sits in: the nearest quote before it ("('" for a FOR loop).
      int64_t end = -2;
      for (int64_t k = static_cast<int64_t>(start); k >= 0; --k) {
        char c = data[static_cast<size_t>(k)];
        if (c == '\'' && k >= 1 && data[static_cast<size_t>(k - 1)] == '(') {
          auto f = data.find("')", start);
          end = f == std::string::npos ? -1 : static_cast<int64_t>(f);
          break;
        }
        if (c == '"' || c == '\'') {
          auto f = data.find(c, start);
          end = f == std::string::npos ? -1 : static_cast<int64_t>(f);
          break;
        }
      }
      powershell = end == -2 ? data.substr(start) : py_slice(data, static_cast<int64_t>(start), end);
    }
    const std::string deobfuscated = strip_carets(powershell);
    const bool obfuscated = deobfuscated != powershell;
    if (!has_enc) {
      out.push_back(deobfuscated);
      continue;
    }
    // rsplit(maxsplit=1): the invocation and the encoded command.
    size_t e = deobfuscated.size();
    while (e > 0 && is_space(deobfuscated[e - 1])) --e;
    size_t b = e;
    while (b > 0 && !is_space(deobfuscated[b - 1])) --b;
    size_t inv_end = b;
    while (inv_end > 0 && is_space(deobfuscated[inv_end - 1])) --inv_end;
    if (inv_end == 0) continue;  // a single word: the reference raises ValueError
    std::string invocation = deobfuscated.substr(0, inv_end);
    std::string encoded = deobfuscated.substr(b, e - b);
    size_t qb = encoded.find_first_not_of("'\""), qe = encoded.find_last_not_of("'\"");
    encoded = qb == std::string::npos ? std::string() : encoded.substr(qb, qe - qb + 1);
    if (encoded.size() % 4 || encoded.find('^') != std::string::npos) continue;
    auto raw = base64::decode(encoded, base64::Padding::kStrict);  // binascii.a2b_base64
    if (!raw) continue;
    const std::string decoded = utf16_to_utf8(*raw);
    std::string dashed;
    for (char c : invocation) {
      if (c == '/') dashed += " -";
      else dashed += c;
    }
    auto args = split_ws(dashed);
    if (args.empty()) continue;
    strip_trailing_quote(args[0]);
    // With carets, the top node is the cmd node: its value is the caret-free invocation, still encoded.
    out.push_back(obfuscated ? deobfuscated : join(args, args.size() - 1, " ") + " -Command " + decoded);
  }
  return out;
}

// find_cmd_strings: the value of each node.
std::vector<std::string> find_cmd_strings(const std::string& data) {
  std::vector<std::string> out;
  re2::StringPiece text(data);
  size_t pos = 0;
  re2::StringPiece m;
  while (pos <= data.size() && cmd_re().Match(text, pos, data.size(), RE2::UNANCHORED, &m, 1)) {
    const size_t start = static_cast<size_t>(m.data() - data.data());
    pos = start + m.size() > pos ? start + m.size() : pos + 1;
    std::string full(m.data(), m.size());
    int parens = 0;
    for (size_t i = 0; i < full.size(); ++i) {  // cut at the first unbalanced ")"
      if (full[i] == ')') --parens;
      else if (full[i] == '(') ++parens;
      if (parens < 0) {
        full.resize(i);
        break;
      }
    }
    std::string deobfuscated = strip_carets(full);
    auto words = split_ws(deobfuscated);
    if (!words.empty()) {
      const std::string first = words[0];
      strip_trailing_quote(words[0]);
      if (words[0] != first) deobfuscated = join(words, words.size(), " ");
    }
    out.push_back(deobfuscated);
  }
  return out;
}

// get_powershell_command: what follows "powershell[.exe]" and its switches, without enclosing quotes.
std::string get_powershell_command(const std::string& powershell) {
  re2::StringPiece m;
  std::string command = powershell;
  if (powershell_args_re().Match(powershell, 0, powershell.size(), RE2::ANCHOR_START, &m, 1))
    command = powershell.substr(m.size());
  if (command.size() > 1 && (command.front() == '"' || command.front() == '\'') && command.front() == command.back())
    command = command.substr(1, command.size() - 2);
  return command;
}

// get_cmd_command: what follows the first "&" or /c, /k, /r, without its first and last double quote.
std::string get_cmd_command(const std::string& cmd) {
  re2::StringPiece m;
  if (!cmd_end_re().Match(cmd, 0, cmd.size(), RE2::UNANCHORED, &m, 1)) return "";
  std::string arg = strip_ws(cmd.substr(static_cast<size_t>(m.data() - cmd.data()) + m.size()));
  if (!arg.empty() && arg.front() == '"') {
    size_t index = arg.rfind('"');
    arg = index > 0 ? arg.substr(1, index - 1) + arg.substr(index + 1) : arg.substr(1);
  }
  return arg;
}

void add_unique(std::vector<std::string>& list, std::string command) {
  if (command.empty()) return;
  if (std::find(list.begin(), list.end(), command) == list.end()) list.push_back(std::move(command));
}

}  // namespace

void extract_commands(const AnalysisContext& ctx, std::vector<std::string>& powershell,
                      std::vector<std::string>& batch) {
  if (!ctx.parsed_sysmon.is_object()) return;
  for (const auto& [key, events] : ctx.parsed_sysmon.items()) {
    for (const auto& event : events) {
      if (json::get(event, "event_id") != 1) continue;
      auto command_line = json::get_string(event, "command_line");
      if (!command_line || command_line->empty()) continue;
      for (const auto& value : find_powershell_strings(*command_line))
        add_unique(powershell, get_powershell_command(value));
      for (const auto& value : find_cmd_strings(*command_line)) add_unique(batch, get_cmd_command(value));
    }
  }
}

}  // namespace alcape::analysis
