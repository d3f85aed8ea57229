// Attribution of a network item (a low-level flow or an HTTP call) to the process that made it, shared by
// _get_low_level_flows and _process_http_calls: the same walk over the process map's network API calls and over
// sysmon network events (EventID 3), with a matching rule of each caller's own.
#pragma once

#include "json/value.hpp"

#include <functional>
#include <initializer_list>
#include <string_view>

namespace alcape::analysis::network {

// Fills `image`/`pid` of the item when still empty and adds `source` ("API", "sysmon") to its `sources`.
void attribute(json::Value& item, const json::Value& image, const json::Value& pid, std::string_view source);

// Whether a call's Port argument agrees with the item's port: no Port argument, or the same port as text.
bool port_agrees(const json::Value& port_argument, const json::Value& item_port);

// For every process of the map, the first of its network calls whose `event` is one of `events` and for which
// `matches(call)` holds attributes the item to that process (source "API").
void attribute_by_api_calls(json::Value& item, const json::Value& process_map,
                            std::initializer_list<std::string_view> events,
                            const std::function<bool(const json::Value& call)>& matches);

// For every process of the parsed sysmon events, the first network event (EventID 3) for which `matches(event)`
// holds attributes the item to that event's image (source "sysmon").
void attribute_by_sysmon_connections(json::Value& item, const json::Value& parsed_sysmon,
                                     const std::function<bool(const json::Value& event)>& matches);

}  // namespace alcape::analysis::network
