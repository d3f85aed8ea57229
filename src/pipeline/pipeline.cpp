#include "pipeline/pipeline.hpp"

#include "nest/client.hpp"
#include "pipeline/artifact_sections.hpp"
#include "pipeline/ontology_merge.hpp"
#include "pipeline/target_flow.hpp"
#include "pipeline/tidy.hpp"
#include "planning/file_naming.hpp"
#include "planning/task_params.hpp"
#include "planning/victims.hpp"

#include <fstream>
#include <future>

namespace alcape::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

// The PE headers of a DLL (its exports drive the DLL function choice), from at most its first 256 MiB.
std::optional<planning::PeInfo> read_pe(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  constexpr size_t kMax = 256u << 20;
  std::vector<uint8_t> bytes;
  bytes.reserve(ec ? 0 : std::min<size_t>(size, kMax));
  char buf[65536];
  while (f && bytes.size() < kMax) {
    f.read(buf, sizeof buf);
    bytes.insert(bytes.end(), buf, buf + f.gcount());
  }
  return planning::parse_pe(bytes);
}

// A failure before any target exists: one top-level section, so the result is never empty.
Outcome fail_run(Outcome out, Error e) {
  out.failure = on_task_failure(e.code);
  auto& s = out.root->add_child("CAPE Nest Error");
  s.add_line(e.describe());
  s.add_line(std::string("Outcome: ") + (*out.failure == Disposition::kRecoverable
                                             ? "recoverable (Assemblyline may retry the task)"
                                             : "non-recoverable"));
  out.error = std::move(e);
  return out;
}

}  // namespace

Outcome run(const FileToAnalyse& file, const config::ServiceConfig& config, const config::SubmissionParams& params,
            const RunOptions& options) {
  Outcome out;
  RunContext ctx;
  ctx.file = &file;
  ctx.config = &config;
  ctx.params = &params;
  ctx.options = &options;
  ctx.calls = std::make_shared<std::atomic<int>>(0);
  ctx.routing = planning::effective_routing(config, params);
  config::SubmissionParams effective = params;
  effective["routing"] = ctx.routing;
  ctx.params = &effective;
  auto finish = [&](Outcome o) {
    o.cape_api_calls = ctx.calls->load();
    return o;
  };

  auto name = planning::submission_file_name(file.name, file.file_type);
  if (!name.ok()) {
    // Deviation: the reference returns an empty result silently.
    auto& s = out.root->add_child(planning::kNotSubmittableTitle);
    s.add_line(name.error().describe());
    return finish(std::move(out));
  }
  ctx.submission_name = name->name;
  if (file.file_type.find("dll") != std::string::npos) ctx.pe = read_pe(file.path);
  if (config.hosts.empty())
    return finish(fail_run(std::move(out), make_error(ErrorCode::kInvalidParams, "no CAPE host is configured",
                                                      "remote_host_details.hosts")));

  // machines/list on every host that can serve the routing.
  std::vector<planning::HostMachines> machines;
  ctx.machines = json::Value::array();
  std::optional<Error> last_error;
  bool any_routable = false;
  for (size_t i = 0; i < config.hosts.size(); ++i) {
    ctx.machines.push_back(json::Value::array());
    if (!planning::host_supports_routing(config.hosts[i], ctx.routing)) continue;
    any_routable = true;
    nest::Client client(config.hosts[i], client_options(ctx, options.deadline));
    auto list = client.machines_list();
    if (!list.ok()) {
      if (options.log) options.log("warning", list.error().describe());
      last_error = list.error();
      continue;
    }
    ctx.machines[i] = list.value();
    machines.push_back(planning::HostMachines{i, planning::machines_from_json(list.value())});
  }
  if (!any_routable)
    return finish(fail_run(std::move(out),
                           make_error(ErrorCode::kInvalidParams,
                                      "no configured CAPE host can serve routing '" + ctx.routing +
                                          "' (internet_connected / inetsim_connected)",
                                      "remote_host_details.hosts")));
  if (machines.empty()) return finish(fail_run(std::move(out), *last_error));

  auto plan = planning::plan_victims(machines, file.file_type, config, effective);
  if (!plan.ok()) return finish(fail_run(std::move(out), plan.error()));
  if (plan->missing) {
    auto& s = out.root->add_child(plan->missing->title);
    s.add_lines(plan->missing->lines);
    return finish(std::move(out));
  }

  // One CAPE task and one top-level section per (target, monitor variant), run concurrently; sections keep
  // the plan's order.
  struct Job {
    const planning::Target* target;
    bool no_monitor;
  };
  std::vector<Job> jobs;
  for (bool variant : planning::monitor_variants(effective))
    for (const auto& t : plan->targets) jobs.push_back({&t, variant});
  std::vector<std::future<TargetOutcome>> running;
  for (const auto& job : jobs) {
    auto section = std::make_unique<result::Section>(job.target->title);
    running.push_back(std::async(std::launch::async, [&ctx, job, s = std::move(section)]() mutable {
      return run_target(ctx, *job.target, job.no_monitor, std::move(s));
    }));
  }
  std::vector<std::string> hollowshunter_dumps;
  std::vector<std::unique_ptr<result::Section>> extra_sections;  // reboot / resubmission: after every target's
  for (auto& f : running) {
    TargetOutcome t = f.get();
    hollowshunter_dumps.insert(hollowshunter_dumps.end(), t.hollowshunter_dumps.begin(), t.hollowshunter_dumps.end());
    if (t.error && !out.error) out.error = t.error;
    if (t.failure && (!out.failure || *t.failure == Disposition::kNonRecoverable)) out.failure = t.failure;
    for (const auto& o : t.ontologies) merge_ontology(out.ontology, o);  // every task, as one OntologyResults
    for (auto& p : t.process_events) out.process_events.push_back(std::move(p));
    for (auto& s : t.extra_sections) extra_sections.push_back(std::move(s));
    for (auto& a : t.extracted) out.extracted.push_back(std::move(a));
    for (auto& a : t.supplementary) out.supplementary.push_back(std::move(a));
    out.root->add_child(std::move(t.section));
  }
  // handle_artifacts' section comes after every target's, before pruning and heuristic de-duplication (§1.1).
  for (auto& s : extra_sections) out.root->add_child(std::move(s));
  if (auto artifacts = sandbox_artifacts_section(hollowshunter_dumps)) out.root->add_child(std::move(artifacts));
  prune_empty_top_level(*out.root);
  deduplicate_heuristics(*out.root);
  return finish(std::move(out));
}

}  // namespace alcape::pipeline
