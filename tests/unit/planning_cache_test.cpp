#include "planning/task_cache.hpp"

#include <gtest/gtest.h>

namespace alcape::planning {
namespace {

TaskRequest request() {
  TaskRequest t;
  t.timeout = 150;
  t.options = "force-sleepskip=1";
  t.route = "none";
  t.tags = "win10x64";
  return t;
}

json::Value task(int id, const char* status = "reported") {
  return json::Value::parse(R"({"id": )" + std::to_string(id) + R"(, "status": ")" + status +
                            R"(", "target": "/tmp/cuckoo-tmp/upload_x/a.exe", "timeout": 150, "custom": null,
      "package": null, "route": "none", "options": "force-sleepskip=1", "memory": false, "enforce_timeout": false,
      "tags": ["win10x64", "x64"], "clock": "2026-11-28 09:00:00", "machine": "win10", "platform": "windows"})");
}

TEST(PlanningTaskCache, MatchingTaskIsReusedByItsOwnId) {
  json::Value data = json::Value::array({task(1, "failed_analysis"), task(2), task(3, "failed_processing")});
  data[1]["timeout"] = 99;  // not the same request
  data.push_back(task(4));
  EXPECT_EQ(find_reusable_task(data, request(), "a.exe"), 4);  // not data[0] (the reference's bug)
}

TEST(PlanningTaskCache, PrefersReportedThenNewest) {
  json::Value data = json::Value::array({task(5, "running"), task(2), task(3)});
  EXPECT_EQ(find_reusable_task(data, request(), "a.exe"), 3);
  EXPECT_EQ(find_reusable_task(json::Value::array({task(5, "pending")}), request(), "a.exe"), 5);
}

TEST(PlanningTaskCache, EveryParameterCounts) {
  const json::Value base = json::Value::array({task(1)});
  EXPECT_FALSE(find_reusable_task(base, request(), "b.exe").has_value());
  auto differs = [&](const char* key, json::Value v) {
    json::Value d = base;
    d[0][key] = std::move(v);
    return !find_reusable_task(d, request(), "a.exe").has_value();
  };
  EXPECT_TRUE(differs("options", "free=yes"));
  EXPECT_TRUE(differs("route", "inetsim"));
  EXPECT_TRUE(differs("package", "dll"));
  EXPECT_TRUE(differs("memory", true));
  EXPECT_TRUE(differs("enforce_timeout", true));
  EXPECT_TRUE(differs("custom", "x"));
  EXPECT_TRUE(differs("tags", json::Value::array({"win7x86"})));
  EXPECT_TRUE(differs("status", "banned"));
  EXPECT_FALSE(differs("clock", "2001-01-01 00:00:00"));  // no clock requested: CAPE's own time does not matter
  TaskRequest with_clock = request();
  with_clock.clock = "2001-01-01 00:00:00";
  EXPECT_FALSE(find_reusable_task(base, with_clock, "a.exe").has_value());
}

TEST(PlanningTaskCache, ClockAndTagsAreComparedAsCapeStoresThem) {
  const json::Value data = json::Value::array({task(1)});
  TaskRequest t = request();
  t.clock = "11-28-2026 09:00:00";  // the form's format; CAPE stores 2026-11-28 09:00:00
  EXPECT_EQ(find_reusable_task(data, t, "a.exe"), 1);
  t.clock = "11-28-2026 09:00:01";
  EXPECT_FALSE(find_reusable_task(data, t, "a.exe").has_value());
  TaskRequest two = request();
  two.tags = "win10x64,gpu";
  json::Value d = data;
  d[0]["tags"] = "gpu,x64,win10x64";  // another order, as CAPE's text
  EXPECT_EQ(find_reusable_task(d, two, "a.exe"), 1);
}

TEST(PlanningTaskCache, FlowsWithoutImageTagsCanHit) {
  TaskRequest t = request();
  t.tags.reset();
  t.machine = "win10";
  json::Value d = json::Value::array({task(8)});
  d[0]["tags"] = json::Value::array({"x64"});
  EXPECT_EQ(find_reusable_task(d, t, "a.exe"), 8);
  t.machine = "win7";
  EXPECT_FALSE(find_reusable_task(d, t, "a.exe").has_value());
  EXPECT_FALSE(find_reusable_task(json::Value::object(), t, "a.exe").has_value());
}

}  // namespace
}  // namespace alcape::planning
