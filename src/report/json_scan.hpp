// A minimal forward scanner over JSON text that finds where values begin and end without building anything.
//
// The report reader uses it to walk the large, regular parts of a report (behavior.processes[].calls[],
// sysmon[]) element by element, so that only one element at a time is handed to simdjson and converted: memory
// then follows what the analysis keeps, not the size of the file. The scanner checks structure (brackets,
// quotes, commas, colons); the values the analysis uses are validated by simdjson when they are parsed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace alcape::report {

struct ScanError {
  size_t offset;        // byte offset in the scanned buffer
  std::string message;  // what was expected or found
};

class JsonScanner {
 public:
  JsonScanner(const char* data, size_t size) : base_(data), p_(data), end_(data + size) {}

  size_t offset() const { return static_cast<size_t>(p_ - base_); }
  const char* position() const { return p_; }
  const char* base() const { return base_; }
  const char* end() const { return end_; }

  // Skips white space; returns the next byte or '\0' at the end.
  char peek();
  bool at_end() { return peek() == '\0' && p_ >= end_; }

  // Scans a complete value (object, array, string, number, literal) and returns its bytes.
  std::string_view value();
  // Scans a string and returns its raw content between the quotes (escapes not decoded).
  std::string_view raw_string();

  // Iterates an object: for each member calls on_member(raw_key) with the scanner positioned at the value;
  // the callback must consume the value (value(), or a nested walk). Throws ScanError on malformed input.
  template <typename F>
  void object(F&& on_member) {
    expect('{');
    if (peek() == '}') {
      ++p_;
      return;
    }
    while (true) {
      if (peek() != '"') fail("expected a member name");
      std::string_view key = raw_string();
      expect(':');
      on_member(key);
      char c = peek();
      ++p_;
      if (c == ',') continue;
      if (c == '}') return;
      --p_;
      fail("expected ',' or '}' after a member");
    }
  }

  // Iterates an array: calls on_element() with the scanner positioned at each element; it must consume it.
  template <typename F>
  void array(F&& on_element) {
    expect('[');
    if (peek() == ']') {
      ++p_;
      return;
    }
    while (true) {
      peek();
      on_element();
      char c = peek();
      ++p_;
      if (c == ',') continue;
      if (c == ']') return;
      --p_;
      fail("expected ',' or ']' after an element");
    }
  }

  [[noreturn]] void fail(const std::string& what) const;

 private:
  void expect(char c);
  void skip_string_body();  // p_ just after the opening quote -> just after the closing quote
  void skip_container();    // p_ at '{' or '[' -> just after the matching close

  const char* base_;
  const char* p_;
  const char* end_;
};

// Decodes a raw JSON string body (as returned by raw_string) into UTF-8; false if an escape is malformed.
// A lone surrogate escape becomes U+FFFD (reader.hpp's policy) and is counted in *lone_surrogates if given.
bool decode_json_string(std::string_view raw, std::string& out, size_t* lone_surrogates = nullptr);

}  // namespace alcape::report
