#include "pipeline/target_flow.hpp"

#include "analysis/analyze.hpp"
#include "artifacts/classify.hpp"
#include "artifacts/safe_unzip.hpp"
#include "pipeline/cache.hpp"
#include "planning/host_choice.hpp"
#include "planning/pe.hpp"
#include "report/reader.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>

namespace alcape::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

void add_text_section(result::Section& parent, const std::string& title, const std::vector<std::string>& lines) {
  auto& s = parent.add_child(title);
  s.add_lines(lines);
}

// The reference's "Service raising an error" heuristic with a signature naming the failure (score 0).
void mark_cape_failure(result::Section& parent, const std::string& signature) {
  if (!parent.heuristic) parent.set_heuristic(404);
  parent.heuristic->add_signature_id(signature, 0);
}

std::optional<planning::PeInfo> read_pe(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::vector<uint8_t> bytes;
  constexpr size_t kMax = 256u << 20;
  bytes.reserve(std::min<size_t>(std::filesystem::file_size(path), kMax));
  char buf[65536];
  while (f && bytes.size() < kMax) {
    f.read(buf, sizeof buf);
    bytes.insert(bytes.end(), buf, buf + f.gcount());
  }
  return planning::parse_pe(bytes);
}

std::string extension_of(const std::string& name) {
  auto dot = name.rfind('.');
  return dot == std::string::npos ? "" : name.substr(dot);
}

// The victim machine as the reference reports it (`report_machine_info`): name and manager from the report, the rest
// from machines/list.
json::Value machine_info(const report::Report& rep, const json::Value& machines) {
  const json::Value* m = nullptr;
  if (rep.info.is_object() && rep.info.contains("machine") && rep.info["machine"].is_object()) m = &rep.info["machine"];
  if (!m || !m->contains("name") || !(*m)["name"].is_string()) return nullptr;
  const std::string name = (*m)["name"].get<std::string>();
  for (const auto& entry : machines) {
    if (!entry.is_object() || !entry.contains("name") || entry["name"] != name) continue;
    json::Value info = json::Value::object();
    info["Name"] = name;
    info["Manager"] = m->contains("manager") ? (*m)["manager"] : json::Value(nullptr);
    info["Platform"] = entry.contains("platform") ? entry["platform"] : json::Value(nullptr);
    info["IP"] = entry.contains("ip") ? entry["ip"] : json::Value(nullptr);
    info["Tags"] = json::Value::array();
    if (entry.contains("tags") && entry["tags"].is_array())
      for (const auto& t : entry["tags"]) {
        if (!t.is_string()) continue;
        std::string tag = t.get<std::string>();
        std::replace(tag.begin(), tag.end(), '_', ' ');
        info["Tags"].push_back(tag);
      }
    return info;
  }
  return nullptr;
}

analysis::ParserParams parser_params(const RunContext& ctx, const report::Report& rep, const json::Value& machines) {
  analysis::ParserParams pp = analysis::default_params();
  const auto& c = *ctx.config;
  pp.routing = ctx.routing;
  pp.random_ip_range = c.random_ip_range;
  pp.inetsim_dns_servers = c.inetsim_dns_servers;
  pp.uses_https_proxy_in_sandbox = c.uses_https_proxy_in_sandbox;
  pp.suspicious_accepted_languages = c.suspicious_accepted_languages;
  pp.custom_processtree_id_safelist = c.custom_processtree_id_safelist;
  pp.file_ext = extension_of(ctx.submission_name);
  if (ctx.options->safelist) pp.safelist = ctx.options->safelist;
  pp.machine_info = machine_info(rep, machines);
  return pp;
}

Artifact convert(const artifacts::Artifact& a) {
  return Artifact{a.path, a.name, a.description, a.sha256, a.supplementary, a.section_image};
}

void log(const RunContext& ctx, const char* level, const std::string& text) {
  if (ctx.options->log) ctx.options->log(level, text);
}

}  // namespace

nest::ClientOptions client_options(const RunContext& ctx, Clock::time_point deadline) {
  nest::ClientOptions o = nest::options_from_config(*ctx.config, deadline);
  o.backoff_base = ctx.options->timing.backoff_base;
  o.backoff_max = ctx.options->timing.backoff_max;
  o.cancel = ctx.options->cancel;
  o.log = ctx.options->log;
  o.call_counter = ctx.calls;
  return o;
}

TargetOutcome run_target(RunContext& ctx, const planning::Target& target, bool no_monitor_variant,
                         std::unique_ptr<result::Section> section) {
  TargetOutcome out;
  out.section = std::move(section);
  result::Section& parent = *out.section;
  const auto& config = *ctx.config;
  const auto& params = *ctx.params;
  const auto& opts = *ctx.options;
  auto fail = [&](Error e) -> TargetOutcome {
    out.failure = on_task_failure(e.code);
    auto& s = parent.add_child("CAPE Task Error");
    s.add_line(e.describe());
    s.add_line(std::string("Outcome: ") + (*out.failure == Disposition::kRecoverable
                                               ? "recoverable (Assemblyline may retry the task)"
                                               : "non-recoverable"));
    out.error = std::move(e);
    return std::move(out);
  };

  if (auto notice = planning::invalid_timeout_notice(params, config.service_timeout_in_seconds)) {
    add_text_section(parent, notice->title, notice->lines);
    return out;
  }
  planning::TaskInputs inputs;
  inputs.al_file_type = ctx.file->file_type;
  if (ctx.file->file_type.find("dll") != std::string::npos) inputs.pe = read_pe(ctx.file->path);
  inputs.deep_scan = opts.deep_scan;
  inputs.archive_passwords = opts.archive_passwords;
  inputs.no_monitor_variant = no_monitor_variant;
  planning::TaskRequest request = planning::build_task_request(target, inputs, config, params);
  if (request.no_monitor) parent.title += " (with monitor disabled)";
  for (const auto& n : request.notices) add_text_section(parent, n.title, n.lines);

  // Host choice among the target's candidates (a single candidate needs no status call).
  const Clock::time_point deadline = opts.deadline;
  const auto client_opts = client_options(ctx, deadline);
  std::optional<size_t> chosen;
  std::optional<Error> last_error;
  if (target.hosts.size() == 1) {
    chosen = target.hosts[0];
  } else {
    std::vector<planning::HostStatus> statuses;
    for (size_t idx : target.hosts) {
      planning::HostStatus hs;
      hs.host_index = idx;
      nest::Client probe(config.hosts[idx], client_opts);
      auto st = probe.cuckoo_status();
      if (st.ok()) {
        hs.answered = true;
        const auto& d = st.value();
        if (d.contains("tasks") && d["tasks"].contains("pending") && d["tasks"]["pending"].is_number_integer())
          hs.pending = d["tasks"]["pending"].get<int64_t>();
        if (d.contains("machines") && d["machines"].contains("available") &&
            d["machines"]["available"].is_number_integer())
          hs.available = d["machines"]["available"].get<int64_t>();
      } else {
        log(ctx, "warning", st.error().describe());
        last_error = st.error();
      }
      statuses.push_back(hs);
    }
    thread_local std::mt19937_64 rng{std::random_device{}()};
    chosen = planning::choose_host(statuses, config.round_robin_type, [](size_t n) {
      return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
    });
    if (!chosen)
      return fail(last_error ? *last_error
                             : make_error(ErrorCode::kConnect, "no nest answered cuckoo/status", target.title));
  }
  nest::Client client(config.hosts[*chosen], client_opts);
  const json::Value machines =
      *chosen < ctx.machines.size() ? ctx.machines[*chosen] : json::Value(json::Value::array());

  // The SHA-256 cache, then submission.
  int64_t task_id = 0;
  bool created = false;
  if (!(params.contains("ignore_cape_cache") && params["ignore_cape_cache"].is_boolean() &&
        params["ignore_cape_cache"].get<bool>())) {
    auto found = client.search_sha256(ctx.file->sha256);
    if (!found.ok()) return fail(found.error());
    if (auto hit = find_reusable_task(found.value(), request, ctx.submission_name)) {
      task_id = hit->id;
      log(ctx, "info", "reusing " + client.context(task_id) + " (same file and parameters)");
    }
  }
  if (task_id == 0) {
    auto made = client.create_file(ctx.file->path, ctx.submission_name, request.form_fields());
    if (!made.ok()) {
      Error e = made.error();
      if (config.retry_on_no_machine && e.message.find("Check Tags help") != std::string::npos) {
        e.code = ErrorCode::kNoMachine;
        e.message = "Retrying since the specific image was missing: " + e.message;
      }
      return fail(e);
    }
    task_id = made->task_ids.front();
    created = true;
  }
  {
    std::lock_guard<std::mutex> lock(ctx.progress_mu);
    ctx.task_ids.push_back(task_id);
  }

  // Wait for the report, keeping time for download, analysis and upload.
  const auto now = Clock::now();
  auto reserve = std::chrono::duration_cast<Clock::duration>(opts.timing.report_reserve);
  if (deadline != Clock::time_point::max()) reserve = std::min(reserve, (deadline - now) / 4);
  nest::Client poller(config.hosts[*chosen], client_options(ctx, deadline == Clock::time_point::max()
                                                                       ? deadline : deadline - reserve));
  nest::PollOptions poll{opts.timing.pending_poll, opts.timing.running_poll, opts.timing.processing_poll,
                         opts.timing.missing_polls};
  std::string last_status = "pending";
  const auto started = Clock::now();
  auto view = poller.wait_for_report(task_id, poll, [&](const nest::TaskView& v) {
    last_status = v.status;
    if (!opts.on_progress) return;
    Progress p;
    p.host = client.label();
    {
      std::lock_guard<std::mutex> lock(ctx.progress_mu);
      p.task_ids = ctx.task_ids;
    }
    p.status = v.status == "running" && v.guest_status == "starting" ? "starting" : v.status;
    p.elapsed = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started);
    if (deadline != Clock::time_point::max())
      p.deadline = std::chrono::duration_cast<std::chrono::seconds>(deadline - started);
    opts.on_progress(p);
  });
  auto delete_if_ours = [&](const std::string& status) {
    if (!created || !config.delete_cape_runs) return;
    nest::Client deleter(config.hosts[*chosen], client_options(ctx, Clock::now() + std::chrono::seconds(30)));
    if (auto s = deleter.delete_task(task_id, status); !s.ok()) log(ctx, "warning", s.error().describe());
  };
  if (!view.ok()) {
    // A task that is still pending/running stays: CAPE deletes only with the matching status suffix, and the
    // status may change in between; leaving it is harmless.
    return fail(view.error());
  }
  const std::string status = view->status;
  if (status != "reported") {
    if (status == "failed_analysis") {
      mark_cape_failure(parent, "CAPE Analysis failure");
      add_text_section(parent, "Analysis Errors", view->errors);
    } else if (status == "failed_processing") {
      mark_cape_failure(parent, "CAPE processing failure");
      add_text_section(parent, "Analysis Errors", {"Processing has failed for task " + std::to_string(task_id) + "."});
    } else {
      mark_cape_failure(parent, "General CAPE failure");
    }
    delete_if_ours(status);
    std::string why = view->errors.empty() ? "" : " (" + view->errors.front() + ")";
    return fail(make_error(ErrorCode::kTaskFailed,
                           "CAPE ended the task with status " + status + why +
                               ". Try resubmitting; if that also fails, contact the CAPE administrator.",
                           client.context(task_id)));
  }

  // Download, extract, analyse.
  const std::filesystem::path dir =
      opts.work_dir / ("host" + std::to_string(*chosen) + "_task" + std::to_string(task_id));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const auto zip = dir / (std::to_string(task_id) + "_cape_report.zip");
  if (auto got = client.download_lite_zip(task_id, zip); !got.ok()) return fail(got.error());
  const auto extracted_dir = dir / "extracted";
  auto entries = artifacts::extract_zip(zip, extracted_dir);
  if (!entries.ok()) {
    Error e = entries.error();
    e.context = client.context(task_id) + ": " + e.context;
    return fail(e);
  }
  const auto lite = extracted_dir / "reports" / "lite.json";
  analysis::AnalysisOutput analysed;
  if (!std::filesystem::is_regular_file(lite, ec)) {
    add_text_section(parent, "The CAPE JSON Report Is Missing!", {"Please alert your CAPE administrators."});
    mark_cape_failure(parent, "Missing Json");
  } else {
    auto rep = report::read_report_file(lite.string(), analysis::analysis_read_options());
    if (!rep.ok()) {
      Error e = rep.error();
      e.context = client.context(task_id) + ": " + e.context;
      delete_if_ours("reported");
      return fail(e);
    }
    try {
      analysed = analysis::analyze_report(rep.value(), parser_params(ctx, rep.value(), machines), parent);
      out.ontology = analysed.ontology;
    } catch (const std::exception& ex) {
      delete_if_ours("reported");
      return fail(make_error(ErrorCode::kInternal, std::string("analysis of the report failed: ") + ex.what(),
                             client.context(task_id)));
    }
  }

  artifacts::ClassifyInput ci;
  ci.task_id = task_id;
  ci.report_zip = zip;
  ci.extracted_dir = extracted_dir;
  ci.work_dir = dir;
  ci.deep_scan = opts.deep_scan;
  ci.submitted_file_type = ctx.file->file_type;
  ci.cape_artifact_pids = analysed.cape_artifact_pids;
  ci.main_process_tuples = analysed.main_process_tuples;
  ci.powershell_commands = analysed.powershell_commands;
  ci.batch_commands = analysed.batch_commands;
  auto classified = artifacts::classify_artifacts(ci, config);
  if (!classified.ok()) {
    delete_if_ours("reported");
    return fail(classified.error());
  }
  for (const auto& a : classified->extracted) out.extracted.push_back(convert(a));
  for (const auto& a : classified->supplementary) out.supplementary.push_back(convert(a));
  for (const auto& a : classified->screenshots) out.supplementary.push_back(convert(a));
  delete_if_ours("reported");
  return out;
}

}  // namespace alcape::pipeline
