// The reference's time helpers (assemblyline.common.isotime and the dynamic service helper), reproduced exactly,
// because their strings end up in section bodies and the ontology.
//
// "Local" means the process's time zone (TZ; the CLI sets it from the parser parameters, tests use UTC). The
// format of every string is the reference's LOCAL_FMT_WITH_MS "%Y-%m-%d %H:%M:%S.%f", written the way Python 3.11
// on Linux writes it: the year is NOT zero-padded below 1000 (glibc strftime), so MIN_TIME is "1-01-01 ...".
// Where Python raises, these functions return nullopt; the caller decides what the reference did on that error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace alcape::analysis {

// datetime.min / datetime.max formatted with LOCAL_FMT_WITH_MS (dynamic_service_helper MIN_TIME / MAX_TIME).
inline constexpr std::string_view kMinTime = "1-01-01 00:00:00.000000";
inline constexpr std::string_view kMaxTime = "9999-12-31 23:59:59.999999";

// A naive (time-zone-less) datetime, like Python's datetime without tzinfo.
struct NaiveDateTime {
  int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, microsecond = 0;
  friend bool operator==(const NaiveDateTime&, const NaiveDateTime&) = default;
};

// datetime.fromtimestamp(epoch): local time, the fraction rounded half-even to the microsecond.
std::optional<NaiveDateTime> local_from_epoch(double epoch);

// dt.strftime("%Y-%m-%d %H:%M:%S.%f").
std::string format_local_with_ms(const NaiveDateTime& dt);

// datetime.strptime(ts, "%Y-%m-%d %H:%M:%S.%f"), with Python's field patterns (e.g. "2024-1-5 3:04:05.1" is
// accepted). Leap seconds are rejected, as datetime does.
std::optional<NaiveDateTime> parse_local_with_ms(std::string_view ts);

// isotime.ensure_time_format(ts, LOCAL_FMT_WITH_MS): the string unchanged if it parses, else nullopt.
std::optional<std::string> ensure_time_format(std::string_view ts);

// isotime.epoch_to_local_with_ms(epoch, trunc): local "%Y-%m-%d %H:%M:%S.%f" with the last `trunc` characters cut
// (trunc=3 gives milliseconds).
std::optional<std::string> epoch_to_local_with_ms(double epoch, int trunc = 0);

// isotime.epoch_to_local(epoch): local "%Y-%m-%d %H:%M:%S" plus the fraction digits of repr(epoch) (truncated, not
// rounded, to 6), cut to 26 characters.
std::optional<std::string> epoch_to_local(double epoch);

// isotime.local_to_epoch(ts): a "%Y-%m-%d %H:%M:%S[.fff]" local time to an epoch, via the reference's
// approximate UTC-offset arithmetic (kept for identical results around DST changes).
std::optional<double> local_to_epoch(std::string_view ts);

// isotime.local_to_local_with_ms(ts) = epoch_to_local_with_ms(local_to_epoch(ts), trunc=3):
// "2025-11-18 21:10:56" -> "2025-11-18 21:10:56.000".
std::optional<std::string> local_to_local_with_ms(std::string_view ts);

// datetime.strptime(ts, LOCAL_FMT_WITH_MS).timestamp(): the epoch of a local time (Python's fold=0 rules in DST
// gaps and overlaps).
std::optional<double> local_with_ms_to_epoch(std::string_view ts);

// (datetime.strptime(ts, LOCAL_FMT_WITH_MS) + timedelta(seconds=seconds)).strftime(LOCAL_FMT_WITH_MS): timedelta
// rounds the seconds half-even to the microsecond.
std::optional<std::string> add_seconds_to_local_with_ms(std::string_view ts, double seconds);

// The reference's duration text: format_time(datetime.fromtimestamp(seconds), "%Hh %Mm %Ss"). It depends on the
// local time zone and drops whole days (see format_duration).
std::optional<std::string> format_duration_reference(int64_t seconds);

// al-cape's duration text "%02dh %02dm %02ds" of the duration itself: identical to the reference in UTC for
// durations under a day; hours go past 23 instead of wrapping, and the time zone plays no part
// (docs/deviations.md (procstages)). nullopt for negative durations.
std::optional<std::string> format_duration(int64_t seconds);

}  // namespace alcape::analysis
