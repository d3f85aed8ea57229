#include "analysis/ontology/times.hpp"

#include <cctype>

namespace alcape::analysis::ontology {

namespace {

bool read_number(std::string_view s, size_t& i, int min_digits, int max_digits, int64_t& out, int* digits = nullptr) {
  int n = 0;
  int64_t v = 0;
  while (i < s.size() && n < max_digits && std::isdigit(static_cast<unsigned char>(s[i]))) {
    v = v * 10 + (s[i] - '0');
    ++i;
    ++n;
  }
  if (n < min_digits) return false;
  out = v;
  if (digits) *digits = n;
  return true;
}

bool literal(std::string_view s, size_t& i, char c) {
  if (i < s.size() && s[i] == c) {
    ++i;
    return true;
  }
  return false;
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

std::optional<int64_t> parse_local_time_with_ms(std::string_view s) {
  size_t i = 0;
  int64_t y, mo, d, h, mi, sec, frac;
  int frac_digits = 0;
  if (!read_number(s, i, 4, 4, y) || !literal(s, i, '-') || !read_number(s, i, 1, 2, mo) || !literal(s, i, '-') ||
      !read_number(s, i, 1, 2, d))
    return std::nullopt;
  size_t ws = i;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  if (i == ws) return std::nullopt;
  if (!read_number(s, i, 1, 2, h) || !literal(s, i, ':') || !read_number(s, i, 1, 2, mi) || !literal(s, i, ':') ||
      !read_number(s, i, 1, 2, sec) || !literal(s, i, '.') || !read_number(s, i, 1, 6, frac, &frac_digits))
    return std::nullopt;
  if (i != s.size()) return std::nullopt;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return std::nullopt;
  int max_day = kDays[mo - 1] + (mo == 2 && is_leap(y) ? 1 : 0);
  if (d > max_day || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  for (int k = frac_digits; k < 6; ++k) frac *= 10;
  int64_t days = days_from_civil(y, mo, d);
  return ((days * 24 + h) * 60 + mi) * 60 * 1000000 + sec * 1000000 + frac;
}

}  // namespace alcape::analysis::ontology
