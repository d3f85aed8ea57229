// Small pieces of Python's str/bytes behaviour that the tagging code must reproduce exactly: ASCII case
// mapping, str.isspace()/strip(), int() parsing, urllib.parse.quote_plus. Strings are UTF-8 bytes; invalid
// UTF-8 is tolerated everywhere (each bad byte counts as one non-ASCII character).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alcape::analysis::pytext {

inline bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_ascii_alnum(char c) { return is_ascii_alpha(c) || is_ascii_digit(c); }
inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
inline char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }
// C isspace() in the "C" locale (bytes.strip(), inet_aton, the `regex` module's \s on bytes).
inline bool is_c_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

bool is_ascii(std::string_view s);
std::string ascii_lower(std::string_view s);
std::string ascii_upper(std::string_view s);
bool iequals_ascii(std::string_view a, std::string_view b);
bool ends_with(std::string_view s, std::string_view suffix);
bool starts_with(std::string_view s, std::string_view prefix);

// Decodes one code point at s[i]; sets len. Invalid UTF-8: the single byte, returned as 0xDC00 + byte.
char32_t next_code_point(std::string_view s, size_t i, size_t& len);
void append_utf8(std::string& out, char32_t cp);

// Python str.isspace() for one code point (Unicode White_Space plus the \x1c-\x1f separators).
bool py_isspace(char32_t cp);
// Python str.strip() without arguments.
std::string_view py_strip(std::string_view s);

// Python int(s) for decimal text: surrounding whitespace, an optional sign, ASCII digits with single
// underscores between them. Values beyond int64 saturate (callers only compare ranges). nullopt: ValueError.
// (Non-ASCII decimal digits, which int() also accepts, are rejected here.)
std::optional<int64_t> py_int(std::string_view s);

// urllib.parse.quote_plus(s): UTF-8 bytes outside [A-Za-z0-9_.~-] become %XX, spaces become '+'.
std::string quote_plus(std::string_view s);

}  // namespace alcape::analysis::pytext
