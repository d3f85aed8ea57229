// A CAPE lite report as the analysis sees it (spec/cape-api.md §4, reference-behaviour.md §5.0).
//
// Small parts stay generic JSON (ordered like the report, as Python dicts are). The two parts that make a report
// large — behavior.processes[].calls and sysmon — are reduced while reading: only the calls and sysmon fields the
// analysis asks for (ReadOptions) are kept, identical calls of a process are stored once, so memory stays
// proportional to what the analysis uses rather than to the file.
#pragma once

#include "json/value.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace alcape::report {

struct Call {
  std::string api;
  std::optional<std::string> category;  // absent in some reports
  json::Value arguments;                // the call's [{"name", "value"}, ...] as in the report
};

struct Process {
  json::Value fields = json::Value::object();  // every key of the process object except "calls"
  bool has_calls = false;                      // the "calls" key exists and is a list
  std::vector<Call> calls;                     // distinct kept calls, first-seen order
};

struct Behavior {
  json::Value fields = json::Value::object();  // every key except "processes" (processtree, summary, ...)
  bool has_processes = false;                  // "processes" key exists and is a list
  std::vector<Process> processes;
};

struct SysmonEvent {
  json::Value event_id;  // System.EventID as found (string or number)
  // EventData.Data items kept: (@Name, #text); #text is null when absent.
  std::vector<std::pair<std::string, json::Value>> data;
};

// Whether a top-level key was absent, explicitly null, or present with a value: the reference distinguishes
// `"key" in report` from a falsy value in several places.
enum class Presence { kAbsent, kNull, kPresent };

struct Report {
  json::Value info, debug, signatures, network, curtain, cape, hollowshunter, target;
  Presence info_p = Presence::kAbsent, debug_p = Presence::kAbsent, signatures_p = Presence::kAbsent,
           network_p = Presence::kAbsent, curtain_p = Presence::kAbsent, cape_p = Presence::kAbsent,
           hollowshunter_p = Presence::kAbsent, target_p = Presence::kAbsent, behavior_p = Presence::kAbsent,
           sysmon_p = Presence::kAbsent;
  Behavior behavior;
  std::vector<SysmonEvent> sysmon;  // kept events, report order
  json::Value sysmon_raw;           // when sysmon is present but not a list (kept as is)

  // What the reader had to repair to read the report at all (NaN literals, lone surrogates, invalid UTF-8),
  // or parts it skipped because they had an unexpected shape. Shown to the analyst in the result.
  std::vector<std::string> notices;
  uint64_t source_bytes = 0;
};

}  // namespace alcape::report
