#include "analysis/analyze.hpp"
#include "analysis/context.hpp"
#include "analysis/stages/info.hpp"
#include "analysis/stages/machine_info.hpp"

#include <gtest/gtest.h>

using namespace alcape;
using namespace alcape::analysis;

namespace {

json::Value machine_metadata(json::Value machine_info, std::string_view report_json = R"({"info": {"id": 1}})") {
  ParserParams params;
  params.machine_info = std::move(machine_info);
  auto r = report::parse_report(report_json, analysis_read_options(), "test");
  EXPECT_TRUE(r.ok());
  AnalysisContext ctx(*r, params);
  result::Section parent("Parent");
  process_info(ctx, parent);
  process_machine_info(ctx);
  if (ctx.ontology.sandboxes().empty()) return "no sandbox";
  return ctx.ontology.sandboxes()[0]->as_primitives()["analysis_metadata"]["machine_metadata"];
}

}  // namespace

TEST(MachineInfo, ArchitectureAndVersionFromTheName) {
  EXPECT_EQ(machine_metadata(json::Value::parse(
                R"({"Name": "cape_u-12_win10x64-25", "Manager": "kvm", "Platform": "windows", "IP": "10.0.0.2"})")),
            json::Value::parse(R"({"ip": "10.0.0.2", "hypervisor": "kvm", "hostname": "cape_u-12_win10x64-25",
                                  "platform": "Windows", "version": "10", "architecture": "x64"})"));
  // x86 wins over x64; a name without the pattern has neither version nor architecture; "" values are skipped.
  json::Value m = machine_metadata(json::Value::parse(R"({"Name": "ub22x64_x86", "Platform": "linux", "IP": ""})"));
  EXPECT_EQ(m["architecture"], "x86");
  EXPECT_EQ(m["version"], "22x64_");
  EXPECT_EQ(m["platform"], "Linux");
  EXPECT_TRUE(m["ip"].is_null());
  m = machine_metadata(json::Value::parse(R"({"Name": "sandbox1", "Platform": "WINDOWS"})"));
  EXPECT_TRUE(m["architecture"].is_null());
  EXPECT_TRUE(m["version"].is_null());
  EXPECT_EQ(m["platform"], "Windows");
}

TEST(MachineInfo, NothingWithoutMachineOrSandbox) {
  EXPECT_TRUE(machine_metadata(nullptr).is_null());
  EXPECT_EQ(machine_metadata(json::Value::parse(R"({"Name": "win10x64"})"), "{}"), "no sandbox");
}
