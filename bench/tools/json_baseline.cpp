// The baseline of the large-report benchmark: a bare simdjson parse of a file (load + DOM parse, which
// validates the whole document), with nothing extracted. al-cape's time on the same file is compared with this.
#include <simdjson.h>

#include <chrono>
#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: json_baseline FILE\n");
    return 2;
  }
  auto t0 = std::chrono::steady_clock::now();
  simdjson::padded_string text;
  if (auto err = simdjson::padded_string::load(argv[1]).get(text)) {
    std::fprintf(stderr, "cannot load %s: %s\n", argv[1], simdjson::error_message(err));
    return 1;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto err = parser.parse(text).get(doc)) {
    std::fprintf(stderr, "parse error: %s\n", simdjson::error_message(err));
    return 1;
  }
  auto t1 = std::chrono::steady_clock::now();
  std::printf("%.1f ms\n", std::chrono::duration<double, std::milli>(t1 - t0).count());
  return 0;
}
