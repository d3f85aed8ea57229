// Expected values were produced by Python 3.11 with assemblyline.common.isotime (TZ=UTC and TZ=America/Toronto).
#include "analysis/time_format.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

using namespace alcape::analysis;

namespace {

// Sets TZ for one test and restores UTC afterwards (the other suites assume UTC).
class TimeZone {
 public:
  explicit TimeZone(const char* tz) { set(tz); }
  ~TimeZone() { set("UTC"); }

 private:
  static void set(const char* tz) {
    setenv("TZ", tz, 1);
    tzset();
  }
};

const std::optional<std::string> kError = std::nullopt;

}  // namespace

TEST(TimeFormat, EpochToLocalWithMsRoundsHalfEvenAndTruncates) {
  TimeZone tz("UTC");
  EXPECT_EQ(epoch_to_local_with_ms(1763500256.123456, 3), "2025-11-18 21:10:56.123");
  EXPECT_EQ(epoch_to_local_with_ms(1763500256.123456), "2025-11-18 21:10:56.123456");
  EXPECT_EQ(epoch_to_local_with_ms(1.0000005), "1970-01-01 00:00:01.000001");
  EXPECT_EQ(epoch_to_local_with_ms(1.0000015), "1970-01-01 00:00:01.000001");
  EXPECT_EQ(epoch_to_local_with_ms(1.0000025), "1970-01-01 00:00:01.000002");
  EXPECT_EQ(epoch_to_local_with_ms(-1.5), "1969-12-31 23:59:58.500000");
  EXPECT_EQ(epoch_to_local_with_ms(0.9999996), "1970-01-01 00:00:01.000000");
  EXPECT_EQ(epoch_to_local_with_ms(1711846799.9999999), "2024-03-31 01:00:00.000000");
  EXPECT_EQ(epoch_to_local_with_ms(0, 3), "1970-01-01 00:00:00.000");
  EXPECT_EQ(epoch_to_local_with_ms(1e20), kError);
}

TEST(TimeFormat, EpochToLocalWithMsFollowsTheLocalZone) {
  TimeZone tz("America/Toronto");
  EXPECT_EQ(epoch_to_local_with_ms(1763500256.123456, 3), "2025-11-18 16:10:56.123");
  EXPECT_EQ(epoch_to_local_with_ms(-1.5), "1969-12-31 18:59:58.500000");
}

TEST(TimeFormat, EpochToLocalKeepsReprDigitsTruncated) {
  TimeZone tz("UTC");
  EXPECT_EQ(epoch_to_local(1763500256.5), "2025-11-18 21:10:56.500000");
  EXPECT_EQ(epoch_to_local(1763500256.0), "2025-11-18 21:10:56.000000");
  EXPECT_EQ(epoch_to_local(1e-05), "1970-01-01 00:00:00");  // repr "1e-05" has no "."
  EXPECT_EQ(epoch_to_local(1763500256.1234567), "2025-11-18 21:10:56.123456");
  EXPECT_EQ(epoch_to_local(0.9999997), "1970-01-01 00:00:01.999999");  // seconds rounded, digits not
}

TEST(TimeFormat, LocalToLocalWithMs) {
  TimeZone tz("UTC");
  EXPECT_EQ(local_to_local_with_ms("2025-11-18 21:10:56"), "2025-11-18 21:10:56.000");
  EXPECT_EQ(local_to_local_with_ms("2025-11-18 21:10:56.5"), "2025-11-18 21:10:56.500");
  EXPECT_EQ(local_to_local_with_ms("2025-11-18 21:10:56,123"), "2025-11-18 21:10:56.000");
  EXPECT_EQ(local_to_local_with_ms("2025-11-18 21:10:56.123456789"), "2025-11-18 21:10:56.123");
  EXPECT_EQ(local_to_local_with_ms("1970-01-01 00:00:00"), "1970-01-01 00:00:00.000");
  EXPECT_EQ(local_to_local_with_ms("bad"), kError);
  EXPECT_EQ(local_to_local_with_ms("2025-11-18 21:10"), kError);
  EXPECT_EQ(local_to_local_with_ms(""), kError);
  EXPECT_EQ(local_to_epoch("2025-11-18 21:10:56.123456789"), 1763500256.1234567);
}

TEST(TimeFormat, LocalToLocalWithMsInADstZone) {
  TimeZone tz("America/Toronto");
  EXPECT_EQ(local_to_local_with_ms("2025-11-18 21:10:56"), "2025-11-18 21:10:56.000");
  EXPECT_EQ(local_to_epoch("2025-11-18 21:10:56"), 1763518256.0);
  // The reference's offset arithmetic moves a time in the spring-forward gap by an hour.
  EXPECT_EQ(local_to_local_with_ms("2024-03-10 02:30:00"), "2024-03-10 03:30:00.000");
  EXPECT_EQ(local_to_epoch("2024-11-03 01:30:00"), 1730611800.0);
  EXPECT_EQ(local_to_epoch("1970-01-01 00:00:00"), 18000.0);
}

TEST(TimeFormat, EnsureTimeFormatUsesPythonFieldPatterns) {
  EXPECT_EQ(ensure_time_format("2024-1-5 3:04:05.1"), "2024-1-5 3:04:05.1");
  EXPECT_EQ(ensure_time_format("2024-01- 5 03:04:05.1"), "2024-01- 5 03:04:05.1");
  EXPECT_EQ(ensure_time_format("2024-01-05  03:04:05.1"), "2024-01-05  03:04:05.1");
  EXPECT_EQ(ensure_time_format("2024-02-29 00:00:00.0"), "2024-02-29 00:00:00.0");
  EXPECT_EQ(ensure_time_format("0001-01-01 00:00:00.000000"), "0001-01-01 00:00:00.000000");
  EXPECT_EQ(ensure_time_format("9999-12-31 23:59:59.999999"), "9999-12-31 23:59:59.999999");
  EXPECT_EQ(ensure_time_format("2024-01-05 03:04:05"), kError);
  EXPECT_EQ(ensure_time_format("2024-02-30 00:00:00.0"), kError);
  EXPECT_EQ(ensure_time_format("2024-01-05 03:04:60.0"), kError);
  EXPECT_EQ(ensure_time_format("2024-01-05 03:04:05.1234567"), kError);
  EXPECT_EQ(ensure_time_format(kMinTime), kError);  // the reference's own MIN_TIME has a 1-digit year
  EXPECT_EQ(ensure_time_format(kMaxTime), std::string(kMaxTime));
}

TEST(TimeFormat, ParseLocalWithMsPadsTheFraction) {
  auto dt = parse_local_with_ms("2024-1-5 3:04:05.1");
  ASSERT_TRUE(dt);
  EXPECT_EQ(*dt, (NaiveDateTime{2024, 1, 5, 3, 4, 5, 100000}));
  EXPECT_EQ(format_local_with_ms(*dt), "2024-01-05 03:04:05.100000");
  EXPECT_EQ(format_local_with_ms(NaiveDateTime{}), std::string(kMinTime));
}

TEST(TimeFormat, LocalWithMsToEpoch) {
  {
    TimeZone tz("UTC");
    EXPECT_EQ(local_with_ms_to_epoch("2024-1-5 3:04:05.1"), 1704423845.1);
    EXPECT_EQ(local_with_ms_to_epoch("9999-12-31 23:59:59.999999"), 253402300800.0);
    EXPECT_EQ(local_with_ms_to_epoch("0001-01-01 00:00:00.000000"), std::nullopt);  // probes year 0
  }
  TimeZone tz("America/Toronto");
  EXPECT_EQ(local_with_ms_to_epoch("2024-1-5 3:04:05.1"), 1704441845.1);
  EXPECT_EQ(local_with_ms_to_epoch("2024-03-10 02:30:00.0"), 1710055800.0);  // gap
  EXPECT_EQ(local_with_ms_to_epoch("2024-11-03 01:30:00.0"), 1730611800.0);  // overlap: first
}

TEST(TimeFormat, AddSecondsRoundsLikeTimedelta) {
  EXPECT_EQ(add_seconds_to_local_with_ms("2025-11-18 21:10:56.000", 1.5), "2025-11-18 21:10:57.500000");
  EXPECT_EQ(add_seconds_to_local_with_ms("2025-11-18 21:10:56.000", 5e-07), "2025-11-18 21:10:56.000000");
  EXPECT_EQ(add_seconds_to_local_with_ms("2025-11-18 21:10:56.000001", 5e-07), "2025-11-18 21:10:56.000001");
  EXPECT_EQ(add_seconds_to_local_with_ms("2025-11-18 21:10:56.000", 1.5e-06), "2025-11-18 21:10:56.000002");
  EXPECT_EQ(add_seconds_to_local_with_ms("2025-11-18 21:10:56.000", -0.1234565), "2025-11-18 21:10:55.876544");
  EXPECT_EQ(add_seconds_to_local_with_ms("2025-11-18 21:10:56.000", 3.14159265), "2025-11-18 21:10:59.141593");
  EXPECT_EQ(add_seconds_to_local_with_ms("0001-01-01 00:00:00.000001", 86400 * 400.5), "2-02-05 12:00:00.000001");
  EXPECT_EQ(add_seconds_to_local_with_ms("2025-11-18 21:10:56.000", 1e13), kError);
  EXPECT_EQ(add_seconds_to_local_with_ms("9999-12-31 23:59:59.999999", 1e-6), kError);
  EXPECT_EQ(add_seconds_to_local_with_ms("not a time", 1.0), kError);
}

TEST(TimeFormat, ReferenceDurationDependsOnTheZoneAndDropsDays) {
  {
    TimeZone tz("UTC");
    EXPECT_EQ(format_duration_reference(113), "00h 01m 53s");
    EXPECT_EQ(format_duration_reference(86400 + 3661), "01h 01m 01s");
    EXPECT_EQ(format_duration_reference(-5), "23h 59m 55s");
  }
  TimeZone tz("America/Toronto");
  EXPECT_EQ(format_duration_reference(113), "19h 01m 53s");
}

TEST(TimeFormat, DurationIsTheDurationItself) {
  TimeZone tz("America/Toronto");
  EXPECT_EQ(format_duration(113), "00h 01m 53s");
  EXPECT_EQ(format_duration(0), "00h 00m 00s");
  EXPECT_EQ(format_duration(86400 + 3661), "25h 01m 01s");
  EXPECT_EQ(format_duration(-5), kError);
}
