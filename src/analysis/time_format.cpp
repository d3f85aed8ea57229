#include "analysis/time_format.hpp"

#include "json/pydump.hpp"

#include <re2/re2.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace alcape::analysis {

namespace {

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kUsPerSecond = 1000000;
constexpr int64_t kMaxOrdinal = 3652059;    // date(9999, 12, 31).toordinal()
constexpr int64_t kEpochOrdinal = 719163;   // date(1970, 1, 1).toordinal()

bool is_leap(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Python's date.toordinal(): 0001-01-01 is day 1.
int64_t to_ordinal(int y, int m, int d) {
  int64_t py = y - 1;
  int64_t days = py * 365 + py / 4 - py / 100 + py / 400;
  for (int i = 1; i < m; ++i) days += days_in_month(y, i);
  return days + d;
}

NaiveDateTime from_ordinal(int64_t ordinal) {
  // Walk 400-year cycles, then years; the range (years 1..9999) keeps this cheap.
  NaiveDateTime dt;
  int64_t n = ordinal - 1;
  int64_t cycles = n / 146097;
  n %= 146097;
  int y = static_cast<int>(cycles * 400) + 1;
  while (true) {
    int len = is_leap(y) ? 366 : 365;
    if (n < len) break;
    n -= len;
    ++y;
  }
  int m = 1;
  while (n >= days_in_month(y, m)) n -= days_in_month(y, m++);
  dt.year = y;
  dt.month = m;
  dt.day = static_cast<int>(n) + 1;
  return dt;
}

bool date_valid(const NaiveDateTime& dt) {
  return dt.year >= 1 && dt.year <= 9999 && dt.month >= 1 && dt.month <= 12 && dt.day >= 1 &&
         dt.day <= days_in_month(dt.year, dt.month) && dt.hour >= 0 && dt.hour <= 23 && dt.minute >= 0 &&
         dt.minute <= 59 && dt.second >= 0 && dt.second <= 59 && dt.microsecond >= 0 && dt.microsecond <= 999999;
}

// Seconds of a naive datetime counted from 0001-01-01 00:00:00 (CPython's utc_to_seconds).
int64_t to_seconds(const NaiveDateTime& dt) {
  return to_ordinal(dt.year, dt.month, dt.day) * kSecondsPerDay + dt.hour * 3600 + dt.minute * 60 + dt.second;
}

NaiveDateTime from_seconds(int64_t s, int microsecond) {
  int64_t ordinal = s / kSecondsPerDay;
  int64_t rem = s % kSecondsPerDay;
  NaiveDateTime dt = from_ordinal(ordinal);
  dt.hour = static_cast<int>(rem / 3600);
  dt.minute = static_cast<int>(rem % 3600 / 60);
  dt.second = static_cast<int>(rem % 60);
  dt.microsecond = microsecond;
  return dt;
}

// localtime() of an epoch second, as CPython's datetime does it (leap seconds clamped to 59, years 1..9999).
std::optional<NaiveDateTime> local_from_time_t(int64_t t, int microsecond) {
  time_t tt = static_cast<time_t>(t);
  if (static_cast<int64_t>(tt) != t) return std::nullopt;
  struct tm tm {};
  if (localtime_r(&tt, &tm) == nullptr) return std::nullopt;
  NaiveDateTime dt;
  int64_t year = static_cast<int64_t>(tm.tm_year) + 1900;
  if (year < 1 || year > 9999) return std::nullopt;
  dt.year = static_cast<int>(year);
  dt.month = tm.tm_mon + 1;
  dt.day = tm.tm_mday;
  dt.hour = tm.tm_hour;
  dt.minute = tm.tm_min;
  dt.second = tm.tm_sec > 59 ? 59 : tm.tm_sec;
  dt.microsecond = microsecond;
  return dt;
}

// The local time of epoch second u, as seconds from 0001-01-01 (CPython's local()).
std::optional<int64_t> local_seconds(int64_t u_since_epoch) {
  auto dt = local_from_time_t(u_since_epoch, 0);
  if (!dt) return std::nullopt;
  return to_seconds(*dt) - kEpochOrdinal * kSecondsPerDay;
}

// glibc strftime("%Y") does not pad years below 1000, so neither do we.
std::string format_date_time(const NaiveDateTime& dt) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%d-%02d-%02d %02d:%02d:%02d", dt.year, dt.month, dt.day, dt.hour, dt.minute,
                dt.second);
  return buf;
}

// Python's time rounding for fromtimestamp (_PyTime_RoundHalfEven).
double round_half_even(double x) {
  double rounded = std::round(x);
  if (std::fabs(x - rounded) == 0.5) rounded = 2.0 * std::round(x / 2.0);
  return rounded;
}

// The regexes datetime.strptime builds for the two formats the reference parses (see _strptime.TimeRE); Python
// compiles them IGNORECASE. Python's \d and \s also match non-ASCII digits/spaces; reports don't carry those.
const RE2& local_with_ms_re() {
  static const RE2 re(
      R"((\d\d\d\d)-(1[0-2]|0[1-9]|[1-9])-(3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])[\t\n\v\f\r \x{1c}-\x{1f}]+)"
      R"((2[0-3]|[0-1]\d|\d):([0-5]\d|\d):(6[0-1]|[0-5]\d|\d)\.([0-9]{1,6}))");
  return re;
}

const RE2& iso_re() {
  static const RE2 re(
      R"((?i)(\d\d\d\d)-(1[0-2]|0[1-9]|[1-9])-(3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])T)"
      R"((2[0-3]|[0-1]\d|\d):([0-5]\d|\d):(6[0-1]|[0-5]\d|\d))");
  return re;
}

int to_int(re2::StringPiece digits) {
  int v = 0;
  for (char c : digits) {
    if (c >= '0' && c <= '9') v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<NaiveDateTime> parse_with(const RE2& re, std::string_view ts, bool with_fraction) {
  re2::StringPiece y, mo, d, h, mi, s, f;
  bool ok = with_fraction ? RE2::FullMatch(ts, re, &y, &mo, &d, &h, &mi, &s, &f)
                          : RE2::FullMatch(ts, re, &y, &mo, &d, &h, &mi, &s);
  if (!ok) return std::nullopt;
  NaiveDateTime dt;
  dt.year = to_int(y);
  dt.month = to_int(mo);
  dt.day = to_int(d);
  dt.hour = to_int(h);
  dt.minute = to_int(mi);
  dt.second = to_int(s);
  if (with_fraction) {
    std::string frac(f.data(), f.size());
    frac.resize(6, '0');
    dt.microsecond = to_int(frac);
  }
  if (!date_valid(dt)) return std::nullopt;
  return dt;
}

// float(s) for the strings isotime._timestamp_to_ms can meet: decimal literals with optional underscores between
// digits and surrounding whitespace, inf/nan.
std::optional<double> py_float_parse(std::string_view s) {
  static const RE2 re(
      R"([\t\n\v\f\r \x{1c}-\x{1f}]*([+-]?(?:(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?))"
      R"((?:[eE][+-]?\d(?:_?\d)*)?|(?i:inf|infinity|nan)))[\t\n\v\f\r \x{1c}-\x{1f}]*)");
  re2::StringPiece num;
  if (!RE2::FullMatch(s, re, &num)) return std::nullopt;
  std::string clean;
  for (char c : num) {
    if (c != '_') clean += c;
  }
  return std::strtod(clean.c_str(), nullptr);
}

// s[start:end] with Python's index rules (negative indexes count from the end, out-of-range clamps).
std::string_view py_slice(std::string_view s, int64_t start, int64_t end) {
  auto n = static_cast<int64_t>(s.size());
  auto norm = [n](int64_t i) {
    if (i < 0) i += n;
    return i < 0 ? 0 : (i > n ? n : i);
  };
  start = norm(start);
  end = norm(end);
  if (start >= end) return {};
  return s.substr(static_cast<size_t>(start), static_cast<size_t>(end - start));
}

int64_t find_or_minus_one(std::string_view s, char c) {
  auto pos = s.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int64_t>(pos);
}

// isotime.iso_to_epoch for the "<date>T<time>[.fff]Z" strings local_to_epoch builds.
std::optional<double> iso_to_epoch(std::string_view ts) {
  auto dt = parse_with(iso_re(), ts.substr(0, 19), false);
  if (!dt) return std::nullopt;
  int64_t start = find_or_minus_one(ts, '.');
  int64_t end = find_or_minus_one(ts, 'Z');
  if (end == -1) end = static_cast<int64_t>(ts.size());
  double ms = py_float_parse(py_slice(ts, start, end)).value_or(0.0);  // _timestamp_to_ms: errors give 0.0
  int64_t seconds = to_seconds(*dt) - kEpochOrdinal * kSecondsPerDay;
  return static_cast<double>(seconds) + ms;
}

std::string local_to_iso_z(std::string_view local) {
  std::string s(local);
  for (char& c : s) {
    if (c == ' ') c = 'T';
  }
  return s + "Z";
}

}  // namespace

std::optional<NaiveDateTime> local_from_epoch(double epoch) {
  if (std::isnan(epoch)) return std::nullopt;
  double intpart = 0;
  double frac = std::modf(epoch, &intpart);
  frac = round_half_even(frac * 1e6);
  if (frac >= 1e6) {
    frac -= 1e6;
    intpart += 1.0;
  } else if (frac < 0) {
    frac += 1e6;
    intpart -= 1.0;
  }
  // time_t range check, as CPython's _PyTime_DoubleToDenominator does.
  if (!(intpart >= -9.2233720368547758e18 && intpart < 9.2233720368547758e18)) return std::nullopt;
  return local_from_time_t(static_cast<int64_t>(intpart), static_cast<int>(frac));
}

std::string format_local_with_ms(const NaiveDateTime& dt) {
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%06d", dt.microsecond);
  return format_date_time(dt) + frac;
}

std::optional<NaiveDateTime> parse_local_with_ms(std::string_view ts) {
  return parse_with(local_with_ms_re(), ts, true);
}

std::optional<std::string> ensure_time_format(std::string_view ts) {
  if (!parse_local_with_ms(ts)) return std::nullopt;
  return std::string(ts);
}

std::optional<std::string> epoch_to_local_with_ms(double epoch, int trunc) {
  auto dt = local_from_epoch(epoch);
  if (!dt) return std::nullopt;
  std::string s = format_local_with_ms(*dt);
  if (trunc > 0) s.resize(s.size() > static_cast<size_t>(trunc) ? s.size() - trunc : 0);
  return s;
}

std::optional<std::string> epoch_to_local(double epoch) {
  auto dt = local_from_epoch(epoch);
  if (!dt) return std::nullopt;
  std::string s = format_date_time(*dt);
  // _epoch_to_ms: the digits after the "." of repr(epoch), padded/truncated to 6; nothing when repr has no "."
  // (e.g. 1e-05).
  std::string repr = json::py_float_repr(epoch);
  auto dot = repr.find('.');
  if (dot != std::string::npos) {
    auto next = repr.find('.', dot + 1);
    std::string ms = "." + repr.substr(dot + 1, next == std::string::npos ? std::string::npos : next - dot - 1);
    if (ms.size() < 7) ms.resize(7, '0');
    s += ms.substr(0, 7);
  }
  if (s.size() > 26) s.resize(26);
  return s;
}

std::optional<double> local_to_epoch(std::string_view ts) {
  auto epoch = iso_to_epoch(local_to_iso_z(ts));
  if (!epoch) return std::nullopt;
  // utc_offset_from_local(epoch). The reference takes the current time when epoch is exactly 0; we use 0 (no clock
  // in the analysis), which only differs when the zone's offset changed since 1970.
  auto local = epoch_to_local(*epoch);
  if (!local) return std::nullopt;
  auto local_epoch = iso_to_epoch(local_to_iso_z(*local));
  if (!local_epoch) return std::nullopt;
  double diff = *epoch - *local_epoch;
  if (!std::isfinite(diff)) return std::nullopt;
  double offset_hours = static_cast<double>(static_cast<int64_t>(std::trunc(diff))) / 3600.0;
  return *epoch + offset_hours * 3600.0;
}

std::optional<std::string> local_to_local_with_ms(std::string_view ts) {
  auto epoch = local_to_epoch(ts);
  if (!epoch) return std::nullopt;
  return epoch_to_local_with_ms(*epoch, 3);
}

std::optional<double> local_with_ms_to_epoch(std::string_view ts) {
  auto dt = parse_local_with_ms(ts);
  if (!dt) return std::nullopt;
  // CPython's local_to_seconds with fold=0: solve local(u) == t for u.
  constexpr int64_t kMaxFoldSeconds = 24 * 3600;
  const int64_t epoch_s = kEpochOrdinal * kSecondsPerDay;
  auto local = [&](int64_t u) -> std::optional<int64_t> {
    auto v = local_seconds(u - epoch_s);
    if (!v) return std::nullopt;
    return *v + epoch_s;
  };
  int64_t t = to_seconds(*dt);
  auto lt = local(t);
  if (!lt) return std::nullopt;
  int64_t a = *lt - t;
  int64_t u1 = t - a;
  auto t1 = local(u1);
  if (!t1) return std::nullopt;
  int64_t b = 0;
  if (*t1 == t) {
    int64_t u2 = u1 - kMaxFoldSeconds;
    auto l2 = local(u2);
    if (!l2) return std::nullopt;
    b = *l2 - u2;
    if (a == b) return static_cast<double>(u1 - epoch_s) + dt->microsecond / 1e6;
  } else {
    b = *t1 - u1;
  }
  int64_t u2 = t - b;
  auto t2 = local(u2);
  if (!t2) return std::nullopt;
  int64_t u;
  if (*t2 == t) {
    u = u2;
  } else if (*t1 == t) {
    u = u1;
  } else {
    u = u1 > u2 ? u1 : u2;  // in the gap: fold=0 takes the later solution
  }
  return static_cast<double>(u - epoch_s) + dt->microsecond / 1e6;
}

std::optional<std::string> add_seconds_to_local_with_ms(std::string_view ts, double seconds) {
  auto dt = parse_local_with_ms(ts);
  if (!dt || !std::isfinite(seconds)) return std::nullopt;
  // timedelta(seconds=x): whole microseconds exactly, the fraction of a microsecond rounded half-even.
  double intpart = 0;
  double frac = std::modf(seconds, &intpart);
  if (std::fabs(intpart) > 1e12) return std::nullopt;  // beyond any datetime: OverflowError
  int64_t us = static_cast<int64_t>(intpart) * kUsPerSecond;
  double leftover = 0.0;
  if (frac != 0.0) {
    double sub = std::modf(1e6 * frac, &intpart);
    us += static_cast<int64_t>(intpart);
    leftover = sub;
  }
  if (leftover != 0.0) {
    double whole = std::round(leftover);
    if (std::fabs(whole - leftover) == 0.5) {
      int odd = static_cast<int>(us & 1);
      whole = 2.0 * std::round((leftover + odd) * 0.5) - odd;
    }
    us += static_cast<int64_t>(whole);
  }
  int64_t total = to_seconds(*dt) * kUsPerSecond + dt->microsecond + us;
  if (total < kSecondsPerDay * kUsPerSecond || total >= (kMaxOrdinal + 1) * kSecondsPerDay * kUsPerSecond)
    return std::nullopt;  // "date value out of range"
  return format_local_with_ms(from_seconds(total / kUsPerSecond, static_cast<int>(total % kUsPerSecond)));
}

std::optional<std::string> format_duration_reference(int64_t seconds) {
  auto dt = local_from_time_t(seconds, 0);
  if (!dt) return std::nullopt;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02dh %02dm %02ds", dt->hour, dt->minute, dt->second);
  return buf;
}

std::optional<std::string> format_duration(int64_t seconds) {
  if (seconds < 0) return std::nullopt;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02lldh %02lldm %02llds", static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds % 3600 / 60), static_cast<long long>(seconds % 60));
  return buf;
}

}  // namespace alcape::analysis
