#include "pipeline/target_flow.hpp"

#include "analysis/analyze.hpp"
#include "artifacts/classify.hpp"
#include "artifacts/safe_unzip.hpp"
#include "pipeline/artifact_sections.hpp"
#include "planning/host_choice.hpp"
#include "planning/pe.hpp"
#include "planning/task_cache.hpp"
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

namespace {

constexpr const char* kGuestCannotReachHost =
    "it appears that this Virtual Machine hasn't been configured properly as the CAPE Host wasn't able to connect to "
    "the Guest.";

// A target's failure: a "CAPE Task Error" section in `section` and the outcome (the worst one wins).
void record_failure(TargetOutcome& out, result::Section& section, Error e) {
  const Disposition d = on_task_failure(e.code);
  auto& s = section.add_child("CAPE Task Error");
  s.add_line(e.describe());
  s.add_line(std::string("Outcome: ") + (d == Disposition::kRecoverable ? "recoverable (Assemblyline may retry the task)"
                                                                        : "non-recoverable"));
  if (!out.failure || d == Disposition::kNonRecoverable) out.failure = d;
  if (!out.error) out.error = std::move(e);
}

bool param_true(const config::SubmissionParams& params, const char* name) {
  return params.contains(name) && params[name].is_boolean() && params[name].get<bool>();
}

// §1.2 step 6: asked for, or a signature says the sample behaves differently after a reboot.
bool reboot_required(const config::SubmissionParams& params, const result::Section& section) {
  if (param_true(params, "reboot")) return true;
  for (const auto& s : section.children) {
    if (s->title != "Signatures") continue;
    for (const auto& sig : s->children)
      if (sig->title.find("persistence_autorun") != std::string::npos ||
          sig->title.find("creates_service") != std::string::npos)
        return true;
  }
  return false;
}

// §1.2 step 8: the guest never reached the host; one resubmission may land on a healthy machine.
bool guest_unreachable(const result::Section& section) {
  for (const auto& s : section.children) {
    if (s->title != "Analysis Errors") continue;
    if (auto body = s->body_text(); body && body->find(kGuestCannotReachHost) != std::string::npos) return true;
  }
  return false;
}

class TaskFlow {
 public:
  TaskFlow(RunContext& ctx, const planning::Target& target, const planning::TaskRequest& request, TargetOutcome& out)
      : ctx_(ctx), target_(target), request_(request), out_(out), config_(*ctx.config), params_(*ctx.params),
        opts_(*ctx.options) {}

  // One submission of the target into `section`: host choice, cache (if use_cache) or upload, analysis, the
  // reboot analysis when required, deletion. Errors are recorded in `section`.
  void run(result::Section& section, bool use_cache) {
    auto host = choose_host();
    if (!host.ok()) return record_failure(out_, section, host.error());
    const size_t h = host.value();
    nest::Client client(config_.hosts[h], client_options(ctx_, opts_.deadline));

    int64_t task_id = 0;
    bool created = false;
    if (use_cache) {
      auto found = client.search_sha256(ctx_.file->sha256);
      if (!found.ok()) return record_failure(out_, section, found.error());
      if (auto hit = planning::find_reusable_task(found.value(), request_, ctx_.submission_name)) {
        task_id = *hit;
        note("info", "reusing " + client.context(task_id) + " (same file and parameters)");
      }
    }
    if (task_id == 0) {
      auto made = client.create_file(ctx_.file->path, ctx_.submission_name, request_.form_fields());
      if (!made.ok()) {
        Error e = made.error();
        // Deviation (docs/deviations.md (client) 20): no sleep before the recoverable error.
        if (config_.retry_on_no_machine && e.message.find("Check Tags help") != std::string::npos) {
          e.code = ErrorCode::kNoMachine;
          e.message = "Retrying since the specific image was missing: " + e.message;
        }
        return record_failure(out_, section, e);
      }
      task_id = made->task_ids.front();
      created = true;
      note_submission(client, *made, section);
    }
    if (auto e = analyse_task(h, task_id, created, section)) return record_failure(out_, section, *e);

    if (config_.reboot_supported && reboot_required(params_, section)) reboot(h, task_id, section);
    if (created) delete_task(h, task_id, "reported");
  }

 private:
  // CAPE's answer may hold several task ids (it unpacked the file: demux) and `errors` entries even on success
  // (skipped members, junk filter). Like the reference, only the first task is followed; unlike it, nothing is
  // dropped silently: the other ids and the messages are logged and shown (docs/deviations.md (client)).
  void note_submission(const nest::Client& client, const nest::CreateAnswer& made, result::Section& section) {
    std::vector<std::string> lines;
    if (made.task_ids.size() > 1) {
      std::string others;
      for (size_t i = 1; i < made.task_ids.size(); ++i) others += (i > 1 ? ", " : "") + std::to_string(made.task_ids[i]);
      lines.push_back("CAPE created " + std::to_string(made.task_ids.size()) + " tasks for this file (it unpacked it); "
                      "only task " + std::to_string(made.task_ids.front()) + " is analysed, " +
                      (made.task_ids.size() == 2 ? "task " + others + " is" : "tasks " + others + " are") +
                      " left on the nest");
    }
    for (const auto& m : made.messages) lines.push_back("CAPE: " + m);
    if (lines.empty()) return;
    for (const auto& l : lines) note("warning", client.context(made.task_ids.front()) + ": " + l);
    add_text_section(section, "CAPE Submission Notes", lines);
  }

  StatusOr<size_t> choose_host() {
    if (target_.hosts.size() == 1) return target_.hosts[0];
    std::vector<planning::HostStatus> statuses;
    std::optional<Error> last_error;
    for (size_t idx : target_.hosts) {
      nest::Client probe(config_.hosts[idx], client_options(ctx_, opts_.deadline));
      auto st = probe.cuckoo_status();
      // An unanswered probe is a status without `answered` (host_choice skips it).
      planning::HostStatus hs = planning::host_status_from_json(idx, st.ok() ? st.value() : json::Value());
      if (!st.ok()) {
        note("warning", st.error().describe());
        last_error = st.error();
      }
      statuses.push_back(hs);
    }
    thread_local std::mt19937_64 rng{std::random_device{}()};
    auto chosen = planning::choose_host(statuses, config_.round_robin_type, [](size_t n) {
      return std::uniform_int_distribution<size_t>(0, n - 1)(rng);
    });
    if (!chosen)
      return last_error ? *last_error : make_error(ErrorCode::kConnect, "no nest answered cuckoo/status", target_.title);
    return *chosen;
  }

  void delete_task(size_t h, int64_t task_id, const std::string& status) {
    if (!config_.delete_cape_runs) return;
    nest::Client deleter(config_.hosts[h], client_options(ctx_, Clock::now() + std::chrono::seconds(30)));
    if (auto s = deleter.delete_task(task_id, status); !s.ok()) note("warning", s.error().describe());
  }

  // §1.2 step 6 / §1.3: tasks/reboot/<id>/ on the same host, then that task's report in a top-level
  // "Reboot Analysis -> <title>" section. Stock CAPE has no reboot endpoint: the section says so (the reference
  // analysed the original task a second time instead; docs/deviations.md (client) 24).
  void reboot(size_t h, int64_t task_id, result::Section& section) {
    if (auto notice = planning::invalid_timeout_notice(params_, config_.service_timeout_in_seconds, true)) {
      add_text_section(section, notice->title, notice->lines);
      return;
    }
    out_.extra_sections.push_back(std::make_unique<result::Section>("Reboot Analysis -> " + section.title));
    result::Section& rs = *out_.extra_sections.back();
    nest::Client client(config_.hosts[h], client_options(ctx_, opts_.deadline));
    auto rid = client.reboot_task(task_id);
    if (!rid.ok()) {
      note("warning", "reboot selected, but the task could not be rebooted: " + rid.error().describe());
      add_text_section(rs, "Reboot Analysis Not Performed",
                       {"The nest could not reboot task " + std::to_string(task_id) + ": " + rid.error().describe()});
      return;
    }
    note("info", client.context(task_id) + " rebooted as task " + std::to_string(*rid));
    if (auto e = analyse_task(h, *rid, true, rs)) return record_failure(out_, rs, *e);
    delete_task(h, *rid, "reported");
  }

  // Waits for the report of task_id, downloads and extracts it, analyses it into `section`, classifies the
  // artifacts into out_. A failed task is deleted (when it is ours); a reported one is left to the caller.
  std::optional<Error> analyse_task(size_t h, int64_t task_id, bool created, result::Section& section) {
    nest::Client client(config_.hosts[h], client_options(ctx_, opts_.deadline));
    const json::Value machines = h < ctx_.machines.size() ? ctx_.machines[h] : json::Value(json::Value::array());
    {
      std::lock_guard<std::mutex> lock(ctx_.progress_mu);
      ctx_.task_ids.push_back(task_id);
    }
    // Wait for the report, keeping time for download, analysis and upload.
    const Clock::time_point deadline = opts_.deadline;
    auto reserve = std::chrono::duration_cast<Clock::duration>(opts_.timing.report_reserve);
    if (deadline != Clock::time_point::max()) reserve = std::min(reserve, (deadline - Clock::now()) / 4);
    nest::Client poller(config_.hosts[h],
                        client_options(ctx_, deadline == Clock::time_point::max() ? deadline : deadline - reserve));
    nest::PollOptions poll{opts_.timing.pending_poll, opts_.timing.running_poll, opts_.timing.processing_poll,
                           opts_.timing.missing_polls};
    const auto started = Clock::now();
    auto view = poller.wait_for_report(task_id, poll, [&](const nest::TaskView& v) {
      if (!opts_.on_progress) return;
      Progress p;
      p.host = client.label();
      {
        std::lock_guard<std::mutex> lock(ctx_.progress_mu);
        p.task_ids = ctx_.task_ids;
      }
      p.status = v.status == "running" && v.guest_status == "starting" ? "starting" : v.status;
      p.elapsed = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started);
      if (deadline != Clock::time_point::max())
        p.deadline = std::chrono::duration_cast<std::chrono::seconds>(deadline - started);
      opts_.on_progress(p);
    });
    auto delete_if_ours = [&](const std::string& status) {
      if (created) delete_task(h, task_id, status);
    };
    // A task that is still pending/running stays: CAPE deletes only with the matching status suffix, and the
    // status may change in between; leaving it is harmless.
    if (!view.ok()) return view.error();
    const std::string status = view->status;
    if (status != "reported") {
      if (status == "failed_analysis") {
        mark_cape_failure(section, "CAPE Analysis failure");
        add_text_section(section, "Analysis Errors", view->errors);
      } else if (status == "failed_processing") {
        mark_cape_failure(section, "CAPE processing failure");
        add_text_section(section, "Analysis Errors",
                         {"Processing has failed for task " + std::to_string(task_id) + "."});
      } else {
        mark_cape_failure(section, "General CAPE failure");
      }
      delete_if_ours(status);
      std::string why = view->errors.empty() ? "" : " (" + view->errors.front() + ")";
      return make_error(ErrorCode::kTaskFailed,
                        "CAPE ended the task with status " + status + why +
                            ". Try resubmitting; if that also fails, contact the CAPE administrator.",
                        client.context(task_id));
    }

    // Download, extract, analyse.
    const std::filesystem::path dir = opts_.work_dir / ("host" + std::to_string(h) + "_task" + std::to_string(task_id));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const auto zip = dir / (std::to_string(task_id) + "_cape_report.zip");
    const auto extracted_dir = dir / "extracted";
    StatusOr<std::vector<artifacts::ExtractedEntry>> entries = make_error(ErrorCode::kInternal, "not downloaded");
    for (int attempt = 1; attempt <= 2; ++attempt) {
      if (auto got = client.download_lite_zip(task_id, zip); !got.ok()) return got.error();
      entries = artifacts::extract_zip(zip, extracted_dir);
      // A truncated or corrupt zip is fetched once more (the web worker may have been killed while sending);
      // a hostile one (traversal, bomb) fails the same way twice.
      if (entries.ok() || (entries.error().code != ErrorCode::kZipInvalid && entries.error().code != ErrorCode::kNotZip))
        break;
      std::filesystem::remove_all(extracted_dir, ec);
    }
    if (!entries.ok()) {
      Error e = entries.error();
      e.context = client.context(task_id) + ": " + e.context;
      return e;
    }
    const auto lite = extracted_dir / "reports" / "lite.json";
    analysis::AnalysisOutput analysed;
    if (!std::filesystem::is_regular_file(lite, ec)) {
      add_text_section(section, "The CAPE JSON Report Is Missing!", {"Please alert your CAPE administrators."});
      mark_cape_failure(section, "Missing Json");
    } else {
      auto rep = report::read_report_file(lite.string(), analysis::analysis_read_options());
      if (!rep.ok()) {
        Error e = rep.error();
        e.context = client.context(task_id) + ": " + e.context;
        delete_if_ours("reported");
        return e;
      }
      try {
        analysed = analysis::analyze_report(rep.value(), parser_params(ctx_, rep.value(), machines), section);
        out_.ontologies.push_back(analysed.ontology);
        out_.process_events.push_back(analysed.process_events);
      } catch (const std::exception& ex) {
        delete_if_ours("reported");
        return make_error(ErrorCode::kInternal, std::string("analysis of the report failed: ") + ex.what(),
                          client.context(task_id));
      }
    }

    artifacts::ClassifyInput ci;
    ci.task_id = task_id;
    ci.report_zip = zip;
    ci.extracted_dir = extracted_dir;
    ci.work_dir = dir;
    ci.deep_scan = opts_.deep_scan;
    ci.submitted_file_type = ctx_.file->file_type;
    ci.cape_artifact_pids = analysed.cape_artifact_pids;
    ci.main_process_tuples = analysed.main_process_tuples;
    ci.powershell_commands = analysed.powershell_commands;
    ci.batch_commands = analysed.batch_commands;
    // HollowsHunter dumps only of processes the (safelist-preprocessed) ontology knows, as the reference keeps
    // only pids of its process tree; a report without processes keeps them all.
    if (auto pids = artifacts::ontology_pids(analysed.ontology); !pids.empty()) ci.hollowshunter_pids = std::move(pids);
    auto classified = artifacts::classify_artifacts(ci, config_);
    if (!classified.ok()) {
      delete_if_ours("reported");
      return classified.error();
    }
    out_.extracted.insert(out_.extracted.end(), classified->extracted.begin(), classified->extracted.end());
    out_.supplementary.insert(out_.supplementary.end(), classified->supplementary.begin(),
                              classified->supplementary.end());
    std::vector<Artifact> screenshots = classified->screenshots;
    if (auto shots =
            screenshots_section(task_id, screenshots, artifacts::antivm_note_applies(config_, ctx_.file->file_type)))
      section.add_child(std::move(shots));
    for (auto& a : screenshots) out_.supplementary.push_back(std::move(a));
    out_.hollowshunter_dumps.insert(out_.hollowshunter_dumps.end(), classified->hollowshunter_dumps.begin(),
                                    classified->hollowshunter_dumps.end());
    return std::nullopt;
  }

  void note(const char* level, const std::string& text) { log(ctx_, level, text); }

  RunContext& ctx_;
  const planning::Target& target_;
  const planning::TaskRequest& request_;
  TargetOutcome& out_;
  const config::ServiceConfig& config_;
  const config::SubmissionParams& params_;
  const RunOptions& opts_;
};

}  // namespace

TargetOutcome run_target(RunContext& ctx, const planning::Target& target, bool no_monitor_variant,
                         std::unique_ptr<result::Section> section) {
  TargetOutcome out;
  out.section = std::move(section);
  result::Section& parent = *out.section;
  const auto& config = *ctx.config;
  const auto& params = *ctx.params;
  const auto& opts = *ctx.options;

  if (auto notice = planning::invalid_timeout_notice(params, config.service_timeout_in_seconds)) {
    add_text_section(parent, notice->title, notice->lines);
    return out;
  }
  planning::TaskInputs inputs;
  inputs.al_file_type = ctx.file->file_type;
  inputs.pe = ctx.pe;
  inputs.deep_scan = opts.deep_scan;
  inputs.archive_passwords = opts.archive_passwords;
  inputs.no_monitor_variant = no_monitor_variant;
  planning::TaskRequest request = planning::build_task_request(target, inputs, config, params);
  parent.title = planning::task_title(target, request);
  for (const auto& n : request.notices) add_text_section(parent, n.title, n.lines);

  TaskFlow flow(ctx, target, request, out);
  flow.run(parent, !param_true(params, "ignore_cape_cache"));
  // §1.2 step 8, once. The reference's host re-choice raised a TypeError here (docs/deviations.md (client) 25);
  // the cache is skipped: it would hand back the very task that failed.
  if (!out.failure && guest_unreachable(parent)) {
    log(ctx, "info", "the guest could not reach the nest for " + parent.title + "; resubmitting once");
    out.extra_sections.push_back(std::make_unique<result::Section>("Resubmit -> " + parent.title));
    flow.run(*out.extra_sections.back(), false);
  }
  return out;
}

}  // namespace alcape::pipeline
