#include "analysis/stages/machine_info.hpp"

#include "analysis/stages/pystr.hpp"

#include <re2/re2.h>

namespace alcape::analysis {

namespace {

std::optional<std::string> non_empty_string(const json::Value& v) {
  if (!v.is_string() || v.get_ref<const std::string&>().empty()) return std::nullopt;
  return v.get<std::string>();
}

}  // namespace

// Machine names follow "<platform prefix><version><processor>" (e.g. win10x64): architecture and version are
// read from the name, the rest from the machine list entry (params.machine_info).
void process_machine_info(AnalysisContext& ctx) {
  const json::Value& machine = ctx.params.machine_info;
  if (!json::truthy(machine) || ctx.ontology.sandboxes().empty()) return;

  ontology::MachineMetadata meta;
  const auto name = non_empty_string(json::get(machine, "Name"));
  meta.hostname = name;
  if (auto platform = non_empty_string(json::get(machine, "Platform"))) meta.platform = py::capitalize(*platform);
  meta.ip = non_empty_string(json::get(machine, "IP"));
  meta.hypervisor = non_empty_string(json::get(machine, "Manager"));
  if (name) {
    if (name->find("x86") != std::string::npos) meta.architecture = "x86";
    else if (name->find("x64") != std::string::npos) meta.architecture = "x64";
    static const RE2 kMachineNameRe("(?:ub|win)(.*)(?:x64|x86)");
    std::string version;
    if (RE2::PartialMatch(*name, kMachineNameRe, &version) && !version.empty()) meta.version = version;
  }
  ctx.ontology.update_machine_metadata(meta);
}

}  // namespace alcape::analysis
