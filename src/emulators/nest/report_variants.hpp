// Deterministic variants of a recorded reports/lite.json (cape-api.md §8.11): what real CAPE versions and
// configurations do to the lite report — keys in another order, keys null or missing, non-ASCII strings, huge
// behaviour call lists — so that a report reader can be tested against more than the recorded shapes.
// The variant is written straight to a file while the recorded report is walked: a large calls_multiplier costs
// disk, not memory (the recorded report itself is parsed once, in memory).
#pragma once

#include "core/status.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace alcape::emulators::nest {

struct ReportVariants {
  bool enabled = false;        // the scenario has a report_variants key
  uint64_t seed = 1;           // with the sample folder's name: the same scenario gives the same variant
  bool shuffle_keys = false;   // every object's members in a random order
  double null_keys = 0;        // probability that a member's value is replaced by null
  double drop_keys = 0;        // probability that a member is left out
  double non_ascii = 0;        // probability that a string value gets non-ASCII text inserted
  int64_t calls_multiplier = 1;  // behavior.processes[].calls written this many times over (call ids kept)
};

// Writes the variant of `lite_json` (a recorded reports/lite.json) to `out`. `salt` makes variants of different
// samples differ (the emulator passes the sample folder's name).
Status write_report_variant(const std::filesystem::path& lite_json, const std::filesystem::path& out,
                            const ReportVariants& variants, const std::string& salt);

}  // namespace alcape::emulators::nest
