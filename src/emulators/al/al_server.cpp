#include "emulators/al/al_server.hpp"

#include "core/digest.hpp"

#include "data/embedded.hpp"

#include <httplib.h>
#include <openssl/evp.h>
#include "core/yaml.hpp"

#include <condition_variable>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace alcape::emulators::al {
namespace {

std::string strip_stable(std::string v) {
  auto pos = v.find("stable");
  if (pos != std::string::npos) v.erase(pos, 6);
  return v;
}

bool is_sha256(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

const std::set<std::string>& body_formats() {
  static const std::set<std::string> f = {"TEXT", "MEMORY_DUMP", "GRAPH_DATA", "URL", "JSON", "KEY_VALUE",
                                          "PROCESS_TREE", "TABLE", "IMAGE", "MULTI", "ORDERED_KEY_VALUE",
                                          "TIMELINE", "SANDBOX"};
  return f;
}

std::string guess_type(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".exe") return "executable/windows/pe32";
  if (ext == ".dll") return "executable/windows/dll32";
  if (ext == ".ps1") return "code/ps1";
  if (ext == ".js") return "code/javascript";
  return "unknown";
}

std::string random_sid(std::mt19937_64& rng) {
  static const char* alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string s;
  for (int i = 0; i < 22; ++i) s += alphabet[rng() % 62];
  return s;
}

}  // namespace

struct AlEmulator::Impl {
  AlEmulatorOptions opt;
  std::unique_ptr<httplib::Server> server_ptr;
  httplib::Server& server_ref() { return *server_ptr; }
  std::thread thread;
  int port = 0;

  mutable std::mutex mu;
  std::condition_variable cv;
  std::deque<json::Value> queue;
  std::map<std::string, std::string> files;     // sha256 -> content (samples and uploads)
  std::set<std::string> withheld;               // sha256 whose GET /file answers 404
  json::Value param_defaults = json::Value::object();
  json::Value results = json::Value::array();
  json::Value errors = json::Value::array();
  json::Value uploads = json::Value::array();
  json::Value warnings = json::Value::array();
  json::Value registers = json::Value::array();
  json::Value bad_requests = json::Value::array();
  json::Value post_rounds = json::Value::array();  // {"freshen", "missing_files"} per result POST
  json::Value handed = json::Value::array();  // the tasks as handed out, to check the echo
  int handed_out = 0;
  bool stopping = false;
  std::mt19937_64 rng{std::random_device{}()};

  static void reply(httplib::Response& res, int status, json::Value response, const std::string& error = "") {
    json::Value env = json::Value::object();
    env["api_response"] = std::move(response);
    env["api_error_message"] = error.empty() ? json::Value() : json::Value(error);
    env["api_server_version"] = "4.7.0.emulator";
    env["api_status_code"] = status;
    res.status = status;
    res.set_content(env.dump(), "application/json");
  }

  void bad(httplib::Response& res, const httplib::Request& req, int status, const std::string& message) {
    {
      std::lock_guard lock(mu);
      bad_requests.push_back({{"method", req.method}, {"path", req.path}, {"status", status}, {"message", message}});
    }
    reply(res, status, nullptr, message);
  }

  // The Rust server's ClientInfo: every Service-* header must be present; the key must match.
  bool authorised(const httplib::Request& req, httplib::Response& res, bool registration = false) {
    for (const char* h : {"Container-ID", "Service-Name", "Service-Version", "Service-Tool-Version"})
      if (!req.has_header(h)) {
        bad(res, req, 400, std::string("missing required key: ") + h);
        return false;
      }
    std::string key = req.get_header_value("X-APIKey");
    bool ok = key == opt.api_key || (registration && !opt.registry_key.empty() && key == opt.registry_key);
    if (!ok) {
      bad(res, req, 401, "Unauthorized access denied");
      return false;
    }
    return true;
  }

  void on_register(const httplib::Request& req, httplib::Response& res) {
    if (!authorised(req, res, true)) return;
    json::Value manifest = json::Value::parse(req.body, nullptr, false);
    if (!manifest.is_object() || !manifest.contains("name") || !manifest.contains("version") ||
        !manifest["name"].is_string() || !manifest["version"].is_string())
      return bad(res, req, 400, "invalid service manifest");
    std::string version = strip_stable(manifest["version"].get<std::string>());
    bool writer = !opt.registry_key.empty() && req.get_header_value("X-APIKey") == opt.registry_key;
    bool known = manifest["name"] == opt.service_name &&
                 std::find(opt.registered_versions.begin(), opt.registered_versions.end(), version) !=
                     opt.registered_versions.end();
    {
      std::lock_guard lock(mu);
      registers.push_back({{"version", version}, {"writer", writer}, {"known", known},
                           {"has_heuristics", manifest.contains("heuristics")}});
    }
    if (!known && !writer) return bad(res, req, 401, "service " + version + " is not registered");
    json::Value sc = manifest;
    sc.erase("heuristics");
    sc.erase("file_required");
    sc.erase("tool_version");
    sc["version"] = version;
    for (const auto& [k, v] : opt.service_config_overrides.items()) {
      if (k == "config" && v.is_object() && sc.contains("config") && sc["config"].is_object())
        for (const auto& [ck, cv] : v.items()) sc["config"][ck] = cv;
      else sc[k] = v;
    }
    {
      std::lock_guard lock(mu);
      param_defaults = json::Value::object();
      if (sc.contains("submission_params") && sc["submission_params"].is_array())
        for (const auto& p : sc["submission_params"])
          if (p.is_object() && p.contains("name")) param_defaults[p["name"].get<std::string>()] = p.value("default", json::Value());
    }
    json::Value answer = json::Value::object();
    answer["keep_alive"] = known;  // a first registration asks the container to restart
    answer["new_heuristics"] = json::Value::array();
    answer["service_config"] = std::move(sc);
    reply(res, 200, std::move(answer));
  }

  void on_get_task(const httplib::Request& req, httplib::Response& res) {
    if (!authorised(req, res)) return;
    int wait_s = 30;
    if (req.has_header("Timeout")) {
      try { wait_s = std::stoi(req.get_header_value("Timeout")); } catch (...) { return bad(res, req, 400, "bad Timeout"); }
    }
    wait_s = std::clamp(wait_s, 0, opt.max_long_poll_seconds);
    std::unique_lock lock(mu);
    if (!cv.wait_for(lock, std::chrono::seconds(wait_s), [&] { return !queue.empty() || stopping; }) || queue.empty()) {
      lock.unlock();
      return reply(res, 200, {{"task", false}});
    }
    json::Value task = std::move(queue.front());
    queue.pop_front();
    ++handed_out;
    // The dispatcher fills every registered submission parameter, the user's values over the defaults.
    json::Value sc = param_defaults;
    for (const auto& [k, v] : task["service_config"].items()) sc[k] = v;
    task["service_config"] = std::move(sc);
    task["metadata"]["worker__"] = req.get_header_value("Container-ID");
    handed.push_back(task);
    lock.unlock();
    reply(res, 200, {{"task", std::move(task)}});
  }

  void on_get_file(const httplib::Request& req, httplib::Response& res) {
    if (!authorised(req, res)) return;
    std::string sha = req.matches[1];
    if (!is_sha256(sha)) return bad(res, req, 400, "invalid sha256");
    std::lock_guard lock(mu);
    auto it = files.find(sha);
    if (it == files.end() || withheld.count(sha)) {
      res.status = 404;
      json::Value env = {{"api_response", nullptr}, {"api_error_message", "The file was not found in the system."},
                         {"api_server_version", "4.7.0.emulator"}, {"api_status_code", 404}};
      res.set_content(env.dump(), "application/json");
      return;
    }
    res.set_content(it->second, "application/octet-stream");
  }

  void on_put_file(const httplib::Request& req, httplib::Response& res) {
    if (!authorised(req, res)) return;
    for (const char* h : {"Sha256", "Classification", "Ttl", "Is-Section-Image", "Is-Supplementary"})
      if (!req.has_header(h)) return bad(res, req, 400, std::string("missing header ") + h);
    std::string content = req.is_multipart_form_data() && req.has_file("file") ? req.get_file_value("file").content
                                                                               : req.body;
    std::string sha = digest::hex(EVP_sha256(), content);
    if (sha != req.get_header_value("Sha256"))
      return bad(res, req, 400, "Uploaded file does not match expected file hash");
    for (const char* h : {"Is-Section-Image", "Is-Supplementary"}) {
      std::string v = req.get_header_value(h);
      if (v != "True" && v != "False" && v != "true" && v != "false") return bad(res, req, 400, std::string("bad ") + h);
    }
    {
      std::lock_guard lock(mu);
      files[sha] = content;
      uploads.push_back({{"sha256", sha}, {"size", content.size()},
                         {"classification", req.get_header_value("Classification")},
                         {"ttl", req.get_header_value("Ttl")},
                         {"is_section_image", req.get_header_value("Is-Section-Image")},
                         {"is_supplementary", req.get_header_value("Is-Supplementary")}});
    }
    reply(res, 200, {{"success", true}});
  }

  // Strict checks of the Rust server's Result model; returns an error message or "" and the stored result.
  std::string check_result(json::Value& result, std::vector<std::string>& rejected) {
    if (!result.is_object()) return "result is not an object";
    if (!result.contains("classification") || !result["classification"].is_string()) return "result.classification";
    if (!result.contains("sha256") || !result["sha256"].is_string() || !is_sha256(result["sha256"].get<std::string>()))
      return "result.sha256";
    if (!result.contains("response") || !result["response"].is_object()) return "result.response";
    json::Value& resp = result["response"];
    for (const char* k : {"service_name", "service_version"})
      if (!resp.contains(k) || !resp[k].is_string() || resp[k].get<std::string>().empty())
        return std::string("response.") + k;
    for (const char* k : {"extracted", "supplementary"}) {
      if (!resp.contains(k)) continue;
      if (!resp[k].is_array()) return std::string("response.") + k;
      for (const auto& f : resp[k]) {
        if (!f.is_object()) return std::string("response.") + k + " entry";
        for (const char* fk : {"name", "sha256", "description", "classification"})
          if (!f.contains(fk) || !f[fk].is_string() || f[fk].get<std::string>().empty())
            return std::string("response.") + k + "[]." + fk;
        if (!is_sha256(f["sha256"].get<std::string>())) return std::string("response.") + k + "[].sha256";
      }
    }
    if (resp.contains("milestones") && !resp["milestones"].is_null()) {
      const auto& m = resp["milestones"];
      if (!m.is_object() || !m.contains("service_started") || !m.contains("service_completed"))
        return "response.milestones";
    }
    if (result.contains("size") && !(result["size"].is_number_integer())) return "result.size";
    if (!result.contains("result")) return "";
    json::Value& body = result["result"];
    if (!body.is_object()) return "result.result";
    if (!body.contains("sections")) return "";
    if (!body["sections"].is_array()) return "result.sections";
    for (auto& s : body["sections"]) {
      if (!s.is_object()) return "section is not an object";
      if (!s.contains("title_text") || !s["title_text"].is_string() || s["title_text"].get<std::string>().empty())
        return "section title_text must be a non-empty string";
      if (s.contains("body") && !s["body"].is_null() && !s["body"].is_string())
        return "section body must be a string (" + s["title_text"].get<std::string>() + ")";
      if (!s.contains("body_format") || !s["body_format"].is_string() ||
          !body_formats().count(s["body_format"].get<std::string>()))
        return "section body_format";
      if (!s.contains("classification") || !s["classification"].is_string()) return "section classification";
      if (!s.contains("depth") || !s["depth"].is_number_integer()) return "section depth";
      if (s.contains("heuristic") && !s["heuristic"].is_null() &&
          (!s["heuristic"].is_object() || !s["heuristic"].contains("heur_id")))
        return "section heuristic";
      if (s.contains("tags")) {
        if (!s["tags"].is_object()) return "section tags";
        s["tags"] = validate_tags(s["tags"], rejected);
      }
    }
    return "";
  }

  void on_post_task(const httplib::Request& req, httplib::Response& res) {
    if (!authorised(req, res)) return;
    json::Value body = json::Value::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("task") || !body["task"].is_object())
      return bad(res, req, 400, "Malformed task result");
    const json::Value& task = body["task"];
    for (const char* k : {"sid", "fileinfo", "service_name", "service_config", "ttl", "max_files", "min_classification"})
      if (!task.contains(k)) return bad(res, req, 400, std::string("task echo misses ") + k);
    if (body.contains("result")) {
      if (!body.contains("freshen") || !body["freshen"].is_boolean()) return bad(res, req, 400, "Malformed task result");
      json::Value result = body["result"];
      std::vector<std::string> rejected;
      std::string problem = check_result(result, rejected);
      if (!problem.empty()) return bad(res, req, 400, "invalid result: " + problem);
      std::vector<std::string> missing;
      {
        std::lock_guard lock(mu);
        if (body["freshen"].get<bool>()) {
          for (const char* k : {"extracted", "supplementary"})
            if (result["response"].contains(k))
              for (const auto& f : result["response"][k]) {
                std::string sha = f["sha256"].get<std::string>();
                if (!files.count(sha) && std::find(missing.begin(), missing.end(), sha) == missing.end())
                  missing.push_back(sha);
              }
        }
        post_rounds.push_back({{"freshen", body["freshen"]}, {"missing_files", missing}});
        if (missing.empty()) {
          if (!rejected.empty()) {
            std::string msg = "The following tags were rejected: ";
            for (size_t i = 0; i < rejected.size(); ++i) msg += (i ? " | " : "") + rejected[i];
            warnings.push_back({{"sid", task["sid"]}, {"message", msg}});
          }
          results.push_back({{"task", task}, {"result", result}, {"exec_time", body.value("exec_time", json::Value())}});
        }
      }
      if (!missing.empty()) return reply(res, 200, {{"success", false}, {"missing_files", missing}});
      cv.notify_all();
      return reply(res, 200, {{"success", true}});
    }
    if (body.contains("error")) {
      const json::Value& e = body["error"];
      if (!e.is_object() || !e.contains("response") || !e["response"].is_object())
        return bad(res, req, 400, "Malformed task error");
      const json::Value& r = e["response"];
      if (!r.contains("message") || !r["message"].is_string() || r["message"].get<std::string>().empty())
        return bad(res, req, 400, "error message must be a non-empty string");
      std::string status = r.value("status", "");
      if (status != "FAIL_RECOVERABLE" && status != "FAIL_NONRECOVERABLE")
        return bad(res, req, 400, "error status");
      {
        std::lock_guard lock(mu);
        errors.push_back({{"task", task}, {"error", e}});
      }
      cv.notify_all();
      return reply(res, 200, {{"success", true}});
    }
    bad(res, req, 400, "No result or error provided by service.");
  }

  void on_safelist(const httplib::Request& req, httplib::Response& res) {
    if (!authorised(req, res)) return;
    // The embedded default safelist, parsed once; a file that does not parse is a build defect (500, not {}).
    static const json::Value sl = [] {
      auto parsed = yaml::parse(data::file("tag_safelist_default.yml"), "tag_safelist_default.yml",
                                yaml::ParseOptions{.scalars_as_strings = true});
      if (!parsed.ok() || !parsed.value().is_object())
        throw std::runtime_error("embedded tag_safelist_default.yml is not a mapping");
      return parsed.value();
    }();
    json::Value out = {{"match", sl.value("match", json::Value::object())},
                       {"regex", sl.value("regex", json::Value::object())}};
    for (const char* k : {"match", "regex"}) {
      json::Value clean = json::Value::object();
      if (out[k].is_object())
        for (const auto& [t, v] : out[k].items()) clean[t] = v.is_array() ? v : json::Value::array();
      out[k] = std::move(clean);
    }
    reply(res, 200, std::move(out));
  }

  void routes() {
    server_ref().Get("/healthz/live", [](const httplib::Request&, httplib::Response& res) { res.set_content("OK", "text/plain"); });
    auto reg = [this](const httplib::Request& q, httplib::Response& r) { on_register(q, r); };
    server_ref().Put(R"(/api/v1/service/register/?)", reg);
    server_ref().Post(R"(/api/v1/service/register/?)", reg);
    server_ref().Get(R"(/api/v1/task/?)", [this](const httplib::Request& q, httplib::Response& r) { on_get_task(q, r); });
    server_ref().Post(R"(/api/v1/task/?)", [this](const httplib::Request& q, httplib::Response& r) { on_post_task(q, r); });
    server_ref().Get(R"(/api/v1/file/([^/]+)/?)", [this](const httplib::Request& q, httplib::Response& r) { on_get_file(q, r); });
    server_ref().Put(R"(/api/v1/file/?)", [this](const httplib::Request& q, httplib::Response& r) { on_put_file(q, r); });
    server_ref().Get(R"(/api/v1/safelist/?)", [this](const httplib::Request& q, httplib::Response& r) { on_safelist(q, r); });
    server_ref().Get("/emulator/state", [this](const httplib::Request&, httplib::Response& r) {
      r.set_content(state().dump(), "application/json");
    });
    server_ref().Post("/emulator/tasks", [this](const httplib::Request& q, httplib::Response& r) {
      json::Value spec = json::Value::parse(q.body, nullptr, false);
      if (!spec.is_object() || !spec.contains("file")) return bad(r, q, 400, "need {\"file\": path}");
      TaskSpec t;
      t.file = spec["file"].get<std::string>();
      t.filename = spec.value("filename", "");
      t.type = spec.value("type", "");
      t.serve_file = spec.value("serve_file", true);
      if (spec.contains("service_config") && spec["service_config"].is_object()) t.service_config = spec["service_config"];
      Status s = enqueue(t);
      if (!s.ok()) return bad(r, q, 400, s.error().describe());
      reply(r, 200, {{"success", true}});
    });
  }

  json::Value state() const {
    std::lock_guard lock(mu);
    return {{"results", results}, {"errors", errors}, {"uploads", uploads}, {"warnings", warnings},
            {"register_calls", registers}, {"bad_requests", bad_requests}, {"post_rounds", post_rounds},
            {"handed_out", handed_out}, {"queued", queue.size()}, {"tasks", handed}};
  }

  Status enqueue(const TaskSpec& spec) {
    std::ifstream in(spec.file, std::ios::binary);
    if (!in) return Error{ErrorCode::kUnreadable, "cannot read sample", spec.file.string()};
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string sha = digest::hex(EVP_sha256(), content);
    std::lock_guard lock(mu);
    files[sha] = content;
    if (!spec.serve_file) withheld.insert(sha);
    else withheld.erase(sha);
    std::string sid = random_sid(rng);
    uint64_t task_id = rng() >> 12;
    json::Value t = json::Value::object();
    t["sid"] = sid;
    t["task_id"] = task_id;
    t["dispatcher"] = "dispatcher-emulator";
    t["dispatcher_address"] = "127.0.0.1:0";
    t["metadata"] = {{"dispatcher__", "dispatcher-emulator"}, {"dispatcher_address__", "127.0.0.1:0"},
                     {"task_id__", std::to_string(task_id)}};
    t["min_classification"] = "TLP:C";
    t["fileinfo"] = {{"magic", "data"}, {"md5", digest::hex(EVP_md5(), content)}, {"mime", nullptr},
                     {"sha1", digest::hex(EVP_sha1(), content)}, {"sha256", sha}, {"size", content.size()},
                     {"type", spec.type.empty() ? guess_type(spec.file) : spec.type}, {"uri_info", nullptr}};
    t["filename"] = spec.filename.empty() ? spec.file.filename().string() : spec.filename;
    t["service_name"] = opt.service_name;
    t["service_config"] = spec.service_config;
    t["depth"] = 0;
    t["max_files"] = spec.max_files;
    t["ttl"] = spec.ttl;
    t["tags"] = json::Value::array();
    t["temporary_submission_data"] = json::Value::array();
    t["deep_scan"] = false;
    t["ignore_cache"] = false;
    t["ignore_recursion_prevention"] = false;
    t["ignore_filtering"] = false;
    t["priority"] = 150;
    t["safelist_config"] = {{"enabled", true}, {"hash_types", {"sha1", "sha256"}}, {"enforce_safelist_service", false}};
    queue.push_back(std::move(t));
    cv.notify_all();
    return Status();
  }
};

AlEmulator::AlEmulator(AlEmulatorOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->opt = std::move(options);
  if (!impl_->opt.tls_cert.empty())
    impl_->server_ptr = std::make_unique<httplib::SSLServer>(impl_->opt.tls_cert.c_str(), impl_->opt.tls_key.c_str());
  else
    impl_->server_ptr = std::make_unique<httplib::Server>();
  impl_->routes();
}

AlEmulator::~AlEmulator() { stop(); }

StatusOr<int> AlEmulator::bind() {
  if (!impl_->opt.samples_dir.empty()) {
    std::error_code ec;
    for (const auto& dir : std::filesystem::directory_iterator(impl_->opt.samples_dir, ec)) {
      if (!dir.is_directory()) continue;
      for (const auto& f : std::filesystem::directory_iterator(dir.path(), ec))
        if (f.is_regular_file()) {
          TaskSpec spec;
          spec.file = f.path();
          Status s = enqueue(spec);
          if (!s.ok()) return s.error();
        }
    }
    if (ec) return Error{ErrorCode::kUnreadable, ec.message(), impl_->opt.samples_dir.string()};
  }
  int port = impl_->opt.port == 0 ? impl_->server_ptr->bind_to_any_port(impl_->opt.host)
                                  : (impl_->server_ptr->bind_to_port(impl_->opt.host, impl_->opt.port) ? impl_->opt.port : -1);
  if (port <= 0) return Error{ErrorCode::kConnect, "cannot bind", impl_->opt.host + ":" + std::to_string(impl_->opt.port)};
  impl_->port = port;
  return port;
}

void AlEmulator::serve_forever() { impl_->server_ptr->listen_after_bind(); }

StatusOr<int> AlEmulator::start() {
  auto port = bind();
  if (!port.ok()) return port;
  impl_->thread = std::thread([this] { impl_->server_ptr->listen_after_bind(); });
  while (!impl_->server_ptr->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return port;
}

void AlEmulator::stop() {
  if (!impl_) return;
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  impl_->server_ptr->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

Status AlEmulator::enqueue(const TaskSpec& spec) { return impl_->enqueue(spec); }

json::Value AlEmulator::state() const { return impl_->state(); }

}  // namespace alcape::emulators::al
