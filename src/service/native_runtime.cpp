#include "service/native_runtime.hpp"

#include "analysis/tagging/safelist.hpp"
#include "data/embedded.hpp"
#include "service/log.hpp"

#include <fmt/format.h>
#include <malloc.h>

#include <thread>

namespace alcape::service {
namespace {

using Clock = std::chrono::steady_clock;

// Sets `cancel` when the shutdown grace after SIGTERM has run out, while a task runs.
class CancelWatch {
 public:
  CancelWatch(const std::atomic<bool>& stop, std::chrono::milliseconds grace, std::atomic<bool>& cancel)
      : thread_([this, &stop, grace, &cancel] {
          std::optional<Clock::time_point> stop_seen;
          while (!done_.load()) {
            if (stop.load() && !stop_seen) {
              stop_seen = Clock::now();
              log::info(fmt::format("stop requested: the current task may run {} ms longer", grace.count()));
            }
            if (stop_seen && Clock::now() >= *stop_seen + grace) cancel = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          }
        }) {}
  ~CancelWatch() {
    done_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

struct TaskDir {
  std::filesystem::path path;
  ~TaskDir() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove_all(path, ec);
  }
};

// POST, then upload what is missing and POST again with freshen=false, until the server says success.
Status deliver_result(ServerClient& client, const json::Value& task, const TaskOutput& out, long exec_ms,
                      const std::string& prefix) {
  int ttl = task.contains("ttl") && task["ttl"].is_number_integer() ? task["ttl"].get<int>() : 0;
  bool freshen = true;
  for (int round = 0; round < 5; ++round) {
    auto answer = client.post_task(result_body(task, out.payload, freshen, exec_ms));
    if (!answer.ok()) return answer.error();
    if (answer->success) return Status();
    if (answer->missing_files.empty())
      return Error{ErrorCode::kBadAnswer, "the server refused the result without naming missing files", prefix};
    for (const auto& sha : answer->missing_files) {
      auto it = std::find_if(out.files.begin(), out.files.end(), [&](const auto& f) { return f.sha256 == sha; });
      if (it == out.files.end()) {
        log::warning(prefix + "server asks for a file the result does not reference: " + sha);
        continue;
      }
      log::debug(fmt::format("{}uploading {} ({})", prefix, it->path.filename().string(), sha));
      Status s = client.upload_file(it->path, sha, it->classification, ttl, it->section_image, it->supplementary);
      if (!s.ok()) return s;
    }
    freshen = false;
  }
  return Error{ErrorCode::kBadAnswer, "files still missing after five upload rounds", prefix};
}

void post_error(ServerClient& client, const json::Value& task, const json::Value& error, long exec_ms,
                const std::string& prefix) {
  auto answer = client.post_task(error_body(task, error, exec_ms));
  if (!answer.ok()) log::error(prefix + "could not post the error: " + answer.error().describe());
}

}  // namespace

std::shared_ptr<const analysis::Safelist> make_safelist(const json::Value* al_safelist) {
  if (!al_safelist) return nullptr;
  try {
    auto sl = analysis::SafelistData::from_yaml(data::file("system_safelist.yaml"));
    json::Value clean = json::Value::object();
    for (const char* k : {"match", "regex"})
      if (al_safelist->contains(k) && (*al_safelist)[k].is_object()) clean[k] = (*al_safelist)[k];
    sl.merge(analysis::SafelistData::from_yaml(clean.dump()));
    return std::make_shared<const analysis::Safelist>(std::move(sl));
  } catch (const std::exception& e) {
    log::warning(std::string("service-server safelist unusable, using the built-in one: ") + e.what());
    return nullptr;
  }
}

int run_native(NativeOptions options, const std::atomic<bool>& stop) {
  ServerClient client(options.server, &stop);
  const auto& s = client.settings();
  log::info(fmt::format("registering {} {} with {} as {}", s.service_name, s.service_version, s.base_url,
                        s.container_id));
  auto reg = client.register_service(options.manifest);
  options.manifest = json::Value();  // registration is its only use
  if (!reg.ok()) {
    if (reg.error().code == ErrorCode::kCancelled) return 0;
    if (reg.error().code == ErrorCode::kAuth)
      log::error(fmt::format("REGISTRATION REFUSED (401): {} version {} is not registered in Assemblyline, or the "
                             "API key is wrong. Add this version in the Assemblyline UI (or let the updater register "
                             "it) -- {}", s.service_name, s.service_version, reg.error().describe()));
    else
      log::error("registration failed: " + reg.error().describe());
    return 1;
  }
  if (!reg->new_heuristics.empty())
    log::info(fmt::format("{} new heuristics registered", reg->new_heuristics.size()));
  if (options.register_only) {
    log::info("REGISTER_ONLY: registered, exiting");
    return 0;
  }
  if (!reg->keep_alive) {
    log::info("the service server asked not to stay alive (first registration): exiting");
    return 0;
  }
  ServiceSetup setup = options.setup;
  auto applied = apply_service_config(setup, reg->service_config);
  if (applied.ok()) setup = std::move(applied).value();
  else log::error("service config from the server is invalid, keeping the manifest's: " + applied.error().describe());

  // Fetched now (a failure is logged at start), compiled at the first task: an idle service keeps no regex sets.
  std::optional<json::Value> al_safelist;
  if (options.fetch_safelist) {
    auto safelist = client.get_safelist();
    if (safelist.ok()) al_safelist = std::move(safelist).value();
    else log::warning("could not fetch the tag safelist, using the built-in one: " + safelist.error().describe());
  }
  // Start-up temporaries (manifest YAML, config, registration JSON) are freed but stay resident in the heap
  // until glibc is asked to give them back; same after every task (the report is the big one).
  malloc_trim(0);

  long done = 0;
  log::info(fmt::format("waiting for tasks (timeout {} s, own deadline {} s)", setup.timeout_seconds,
                        own_budget(setup.timeout_seconds).count()));
  while (!stop.load()) {
    if (options.task_limit && done >= *options.task_limit) {
      log::info(fmt::format("task limit {} reached: exiting", *options.task_limit));
      break;
    }
    auto task_or = client.get_task();
    if (!task_or.ok()) {
      if (task_or.error().code == ErrorCode::kCancelled) break;
      log::warning("asking for a task failed, waiting: " + task_or.error().describe());
      auto until = Clock::now() + options.server.backoff_max;  // a 400/401 loop must not spin
      while (Clock::now() < until && !stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    if (task_or->is_null()) continue;
    const json::Value task = std::move(task_or).value();
    const std::string prefix = task_prefix(task);
    auto received = Clock::now();
    auto deadline = received + own_budget(setup.timeout_seconds);
    log::info(prefix + "task received");
    if (al_safelist) {
      setup.safelist = make_safelist(&*al_safelist);
      al_safelist.reset();
    }

    TaskDir dir{options.work_root / fmt::format("alcape-task-{}-{}", getpid(), done)};
    std::error_code ec;
    std::filesystem::create_directories(dir.path, ec);
    std::atomic<bool> cancel{false};
    TaskOutput out;
    {
      CancelWatch watch(stop, options.shutdown_grace, cancel);
      const json::Value& fi = task.contains("fileinfo") ? task["fileinfo"] : json::Value::object();
      std::string sha = fi.contains("sha256") && fi["sha256"].is_string() ? fi["sha256"].get<std::string>() : "";
      std::filesystem::path file = dir.path / (sha.empty() ? std::string("sample") : sha);
      Status got = ec ? Status(Error{ErrorCode::kUnreadable, ec.message(), dir.path.string()})
                      : (sha.empty() ? Status(Error{ErrorCode::kInvalidInput, "task without sha256", ""})
                                     : client.download_file(sha, file));
      if (!got.ok()) {
        out.ok = false;
        out.payload = build_error(task, on_task_failure(got.error().code), got.error().describe(), setup.identity);
        out.summary = got.error().describe();
      } else {
        out = execute_task(task, file, setup, options.pipeline, {deadline, dir.path, &cancel});
      }
    }
    long exec_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - received).count();
    if (out.ok) {
      Status delivered = deliver_result(client, task, out, exec_ms, prefix);
      if (delivered.ok()) {
        log::info(fmt::format("{}result posted in {} ms: {}", prefix, exec_ms, out.summary));
      } else if (delivered.error().code == ErrorCode::kCancelled) {
        log::warning(prefix + "stopping before the result was delivered");
      } else {
        // What the stock task handler does with a 400: the task fails for good with the server's message.
        log::error(prefix + "result refused: " + delivered.error().describe());
        post_error(client, task,
                   build_error(task, Disposition::kNonRecoverable, delivered.error().describe(), setup.identity),
                   exec_ms, prefix);
      }
    } else {
      log::warning(prefix + "task failed: " + out.summary);
      post_error(client, task, out.payload, exec_ms, prefix);
    }
    ++done;
    malloc_trim(0);
  }
  log::info(fmt::format("stopped after {} task(s)", done));
  return 0;
}

}  // namespace alcape::service
