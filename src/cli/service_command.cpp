#include "cli/service_command.hpp"

#include "config/service_config.hpp"
#include "pipeline/pipeline.hpp"
#include "net/curl_api.hpp"
#include "service/log.hpp"
#include "service/manifest.hpp"
#include "service/native_runtime.hpp"
#include "service/server_client.hpp"
#include "service/task_handler_mode.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace alcape::cli {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int) { g_stop.store(true); }

std::string env(const char* name, const std::string& fallback = "") {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

long env_long(const char* name, long fallback) {
  std::string v = env(name);
  if (v.empty()) return fallback;
  try {
    return std::stol(v);
  } catch (...) {
    service::log::warning(std::string("ignoring non-numeric ") + name);
    return fallback;
  }
}

struct ServiceFlags {
  bool task_handler = false;
  PipelineFactory make_pipeline;
};

int run_service(const ServiceFlags& flags) {
  service::log::set_level_from_name(env("LOG_LEVEL", "INFO"));
  if (Status http = net::load_libcurl(); !http.ok()) {
    service::log::error("cannot start: " + http.error().describe());
    return 1;
  }
  std::signal(SIGTERM, on_stop_signal);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGPIPE, SIG_IGN);

  std::string yaml = service::generate_manifest_yaml();
  auto manifest = service::manifest_json(yaml, env("SERVICE_TAG"));
  if (!manifest.ok()) {
    service::log::error("embedded manifest invalid: " + manifest.error().describe());
    return 1;
  }
  service::ServiceSetup setup;
  setup.config = config::default_config();
  setup.identity.name = (*manifest)["name"].get<std::string>();
  setup.identity.version = service::strip_stable((*manifest)["version"].get<std::string>());
  // Service-Tool-Version is part of AL's result-cache key: al-cape's own version, so that a new binary does
  // not reuse results of an older one (the manifest may pin another value).
  setup.identity.tool_version = "al-cape-0.1.0";
  if (manifest->contains("tool_version") && (*manifest)["tool_version"].is_string())
    setup.identity.tool_version = (*manifest)["tool_version"].get<std::string>();
  auto with_manifest = service::apply_service_config(setup, *manifest);
  if (!with_manifest.ok()) {
    service::log::error("manifest config invalid: " + with_manifest.error().describe());
    return 1;
  }
  setup = std::move(with_manifest).value();
  // Tests and demos against the nest emulator: poll it every N ms instead of CAPE's seconds.
  if (long poll = env_long("ALCAPE_NEST_POLL_MS", 0); poll > 0) {
    setup.timing.pending_poll = setup.timing.running_poll = setup.timing.processing_poll =
        std::chrono::milliseconds(poll);
    setup.timing.backoff_base = std::chrono::milliseconds(poll);
  }

  service::PipelineFn pipeline = flags.make_pipeline ? flags.make_pipeline() : service::PipelineFn(&pipeline::run);

  if (flags.task_handler) {
    service::TaskHandlerOptions o;
    o.runtime_prefix = env("RUNTIME_PREFIX", "service");
    o.fifo_dir = env("ALCAPE_FIFO_DIR", "/tmp");  // the stock handler's fixed /tmp; tests move it
    o.tasking_dir = env("TASKING_DIR", std::filesystem::temp_directory_path().string());
    o.manifest_yaml = yaml;
    o.service_tag = env("SERVICE_TAG");
    o.setup = setup;
    o.pipeline = pipeline;
    return service::run_task_handler_mode(std::move(o), g_stop);
  }

  service::NativeOptions o;
  auto& s = o.server;
  s.base_url = env("SERVICE_API_HOST", "http://al_service_server:5003");
  s.api_key = env("SERVICE_API_KEY", "ThisIsARandomAuthKey...ChangeMe!");
  s.container_id = env("HOSTNAME", "dev-service");
  s.service_name = setup.identity.name;
  s.service_version = setup.identity.version;
  s.tool_version = setup.identity.tool_version;
  std::string ca = env("SERVICE_SERVER_ROOT_CA_PATH", "/etc/assemblyline/ssl/al_root-ca.crt");
  if (s.base_url.rfind("https://", 0) == 0 && std::filesystem::exists(ca)) s.ca_file = ca;
  s.long_poll_seconds = static_cast<int>(env_long("TASK_REQUEST_TIMEOUT", 30));
  s.file_timeout = std::chrono::seconds(env_long("FILE_REQUEST_TIMEOUT", 180));
  s.request_timeout = std::chrono::seconds(env_long("SERVICE_CLIENT_DEFAULT_REQUEST_TIMEOUT", 180));
  s.backoff_base = std::chrono::milliseconds(env_long("ALCAPE_BACKOFF_BASE_MS", 500));
  s.backoff_max = std::chrono::milliseconds(env_long("ALCAPE_BACKOFF_MAX_MS", 8000));
  // Moved, not copied: the manifest (heuristics included) is only needed to register; run_native drops it then.
  o.manifest = std::move(manifest).value();
  std::string().swap(yaml);
  o.setup = std::move(setup);
  o.pipeline = pipeline;
  o.register_only = env("REGISTER_ONLY") == "true" || env("REGISTER_ONLY") == "True";
  long limit = env_long("AL_SERVICE_TASK_LIMIT", -1);
  if (limit >= 0) o.task_limit = limit;
  o.work_root = env("TASKING_DIR", std::filesystem::temp_directory_path().string());
  o.shutdown_grace = std::chrono::milliseconds(env_long("ALCAPE_SHUTDOWN_GRACE_MS", 20000));
  return service::run_native(std::move(o), g_stop);
}

}  // namespace

void register_service_command(CLI::App& app, int& exit_code, PipelineFactory make_pipeline) {
  auto flags = std::make_shared<ServiceFlags>();
  flags->make_pipeline = std::move(make_pipeline);
  CLI::App* cmd = app.add_subcommand(
      "service",
      "Run as an Assemblyline service: speak the service-server API (SERVICE_API_HOST, SERVICE_API_KEY, ...), "
      "or with --task-handler the FIFO protocol of the stock task handler");
  cmd->add_flag("--task-handler", flags->task_handler,
                "Serve the stock Python task handler over /tmp/<RUNTIME_PREFIX>_{task,done}.fifo");
  cmd->callback([flags, &exit_code] { exit_code = run_service(*flags); });

  CLI::App* manifest = app.add_subcommand("manifest", "Print the generated service_manifest.yml");
  manifest->callback([] { std::cout << service::generate_manifest_yaml(); });
}

}  // namespace alcape::cli
