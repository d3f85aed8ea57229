// The emulator's server: Django-like routing (trailing slash, 301/500/404 pages), DRF-like auth, throttling and
// method checks, fault injection, the call log and the /_emulator/ introspection endpoints.
#include "emulators/nest/emulator.hpp"

#include "core/digest.hpp"
#include "core/loopback.hpp"

#include "emulators/nest/internal.hpp"
#include "emulators/nest/pages.hpp"
#include "emulators/nest/socket_faults.hpp"

#include <re2/re2.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmath>
#include <csignal>

namespace alcape::emulators::nest {

namespace {

using View = void (*)(ViewContext&);

struct Route {
  std::unique_ptr<RE2> re;
  std::string endpoint;
  std::vector<std::string> methods;
  View view;
};

// web/apiv2/urls.py, the routes the service uses (relative to /apiv2/).
const std::vector<Route>& routes() {
  static const std::vector<Route> r = [] {
    std::vector<Route> v;
    auto add = [&](const char* pattern, const char* endpoint, std::vector<std::string> methods, View view) {
      v.push_back(Route{std::make_unique<RE2>(pattern), endpoint, std::move(methods), view});
    };
    add(R"(cuckoo/status/)", "cuckoo/status", {"GET"}, view_cuckoo_status);
    add(R"(machines/list/)", "machines/list", {"GET"}, view_machines_list);
    add(R"(machines/view/([\w$-/:-?{-~!^_`\[\]]+)/)", "machines/view", {"GET"}, view_machines_view);
    add(R"(tasks/search/(md5)/([a-fA-F\d]{32})/)", "tasks/search", {"GET"}, view_tasks_search);
    add(R"(tasks/search/(sha1)/([a-fA-F\d]{40})/)", "tasks/search", {"GET"}, view_tasks_search);
    add(R"(tasks/search/(sha256)/([a-fA-F\d]{64})/)", "tasks/search", {"GET"}, view_tasks_search);
    add(R"(tasks/create/file/)", "tasks/create/file", {"POST"}, view_tasks_create_file);
    add(R"(tasks/view/(\d+)/)", "tasks/view", {"GET"}, view_tasks_view);
    add(R"(tasks/status/(\d+)/)", "tasks/status", {"GET", "POST"}, view_tasks_status);
    add(R"(tasks/get/report/(\d+)/)", "tasks/report", {"GET"}, view_tasks_report);
    add(R"(tasks/get/report/(\d+)/(\w+)/)", "tasks/report", {"GET"}, view_tasks_report);
    add(R"(tasks/get/report/(\d+)/(\w+)/(\w{3})/)", "tasks/report", {"GET"}, view_tasks_report);
    add(R"(tasks/delete/(\d+(?:[,-]\d+)*)/)", "tasks/delete", {"GET"}, view_tasks_delete);
    add(R"(tasks/delete/(\d+(?:[,-]\d+)*)/(\w+)/)", "tasks/delete", {"GET"}, view_tasks_delete);
    add(R"(tasks/reboot/(\d+)/)", "tasks/reboot", {"GET"}, view_tasks_reboot);  // 404 page unless patched
    return v;
  }();
  return r;
}

const Route* match_route(const std::string& rel, std::vector<std::string>& groups) {
  for (const auto& r : routes()) {
    const int n = r.re->NumberOfCapturingGroups();
    std::vector<std::string> g(n);
    std::vector<RE2::Arg> args(n);
    std::vector<RE2::Arg*> ptrs(n);
    for (int i = 0; i < n; ++i) {
      args[i] = &g[i];
      ptrs[i] = &args[i];
    }
    if (RE2::FullMatchN(rel, *r.re, ptrs.data(), n)) {
      groups = std::move(g);
      return &r;
    }
  }
  return nullptr;
}

void set_html(httplib::Response& res, int status, const std::string& html) {
  res.status = status;
  res.set_content(html, "text/html; charset=utf-8");
}

void set_detail(httplib::Response& res, int status, const std::string& detail, const std::string& allow) {
  json::Value b = json::Value::object();
  b["detail"] = detail;
  set_json(res, b, status, allow);
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

// DRF rate "N/s|m|h|d" -> (N, period).
bool parse_rate(const std::string& rate, int& n, std::chrono::milliseconds& period) {
  const auto slash = rate.find('/');
  if (slash == std::string::npos) return false;
  n = std::atoi(rate.substr(0, slash).c_str());
  const char unit = slash + 1 < rate.size() ? rate[slash + 1] : 's';
  const int64_t sec = unit == 's' ? 1 : unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : 0;
  period = std::chrono::milliseconds(sec * 1000);
  return n > 0 && sec > 0;
}

json::Value call_json(const CallRecord& r) {
  json::Value c = json::Value::object();
  c["method"] = r.method;
  c["path"] = r.path;
  c["endpoint"] = r.endpoint;
  c["status"] = r.status;
  c["fault"] = r.fault;
  c["task_id"] = r.task_id;
  c["form"] = r.form;
  if (!r.file_name.empty()) c["file"] = {{"name", r.file_name}, {"sha256", r.file_sha256}, {"size", r.file_size}};
  c["authorization"] = r.authorization;
  return c;
}

}  // namespace

bool Emulator::Impl::sleep_ms(int64_t ms) {
  std::unique_lock<std::mutex> lock(mu);
  return !stop_cv.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping; });
}

void Emulator::Impl::handle(const httplib::Request& req, httplib::Response& res) {
  const std::string& path = req.path;
  // The request's socket, needed only for connection-level faults: finding it scans /proc/self/fd.
  int found_fd = -2;
  const std::function<int()> conn_fd = [&] {
    if (found_fd == -2) found_fd = find_connection_socket(req.local_port, req.remote_addr, req.remote_port);
    return found_fd;
  };

  // Test-only introspection, outside /apiv2/ and never faulted.
  if (path.rfind("/_emulator/", 0) == 0) {
    if (path == "/_emulator/calls" && req.method == "GET") return set_json(res, Emulator::calls_json_of(*this));
    if (path == "/_emulator/calls" && req.method == "DELETE") {
      std::lock_guard<std::mutex> lock(mu);
      calls.clear();
      return set_json(res, json::Value::object());
    }
    if (path == "/_emulator/tasks" && req.method == "GET") return set_json(res, Emulator::tasks_json_of(*this));
    return set_html(res, 404, django_404_page(path));
  }

  CallRecord rec;
  rec.method = req.method;
  rec.path = path;
  rec.authorization = req.get_header_value("Authorization");
  for (const auto& [name, part] : req.files) {
    if (part.filename.empty()) {
      rec.form[name] = part.content;
    } else if (name == "file" && rec.file_name.empty()) {
      rec.file_name = part.filename;
      rec.file_sha256 = digest::sha256_hex(part.content);
      rec.file_size = part.content.size();
    }
  }
  for (const auto& [k, v] : req.params)
    if (req.method == "POST" && !req.is_multipart_form_data() && !rec.form.count(k)) rec.form[k] = v;

  // Finish: record the call (status 0 when the connection was dropped).
  auto finish = [&](int status) {
    rec.status = status;
    std::lock_guard<std::mutex> lock(mu);
    calls.push_back(rec);
  };

  if (sc.host_down == "close") {
    rec.fault = "host_down";
    finish(0);  // recorded before the client can see the close
    close_connection(conn_fd());
    return;
  }

  // Django routing under /apiv2/ (APPEND_SLASH: 301 for GET, 500 page for POST/PUT/PATCH, else 404).
  std::vector<std::string> groups;
  const Route* route = nullptr;
  const std::string prefix = "/apiv2/";
  if (path == "/apiv2/") {
    set_html(res, 200, api_index_page());
    return finish(200);
  }
  // tasks/reboot/ is not CAPE's (only a patched nest has it): without it Django's router does not know the path.
  auto find_route = [&](const std::string& rel, std::vector<std::string>& g) -> const Route* {
    const Route* r = match_route(rel, g);
    return r && r->endpoint == "tasks/reboot" && !sc.reboot_endpoint ? nullptr : r;
  };
  if (path.rfind(prefix, 0) == 0) route = find_route(path.substr(prefix.size()), groups);
  if (!route) {
    std::vector<std::string> g;
    const Route* slashed = (path.rfind(prefix, 0) == 0 && path.back() != '/')
                               ? find_route(path.substr(prefix.size()) + "/", g)
                               : nullptr;
    if (slashed) {
      rec.endpoint = slashed->endpoint;
      if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
        set_html(res, 500, append_slash_post_page(req.get_header_value("Host"), path));
        return finish(500);
      }
      std::string location = path + "/";
      if (const auto q = req.target.find('?'); q != std::string::npos) location += req.target.substr(q);
      res.status = 301;
      res.set_header("Location", location);
      return finish(301);
    }
    rec.endpoint = path.rfind(prefix, 0) == 0 ? "other" : "";
    set_html(res, 404, django_404_page(path));
    return finish(404);
  }
  rec.endpoint = route->endpoint;
  const std::string allow = join(route->methods) + ", OPTIONS";
  if (route->endpoint != "tasks/create/file" && route->endpoint != "tasks/search" &&
      route->endpoint != "machines/view" && !groups.empty())
    rec.task_id = std::atoll(groups[0].c_str());

  // Which faults apply to this call: count matching calls per fault (per task id with per_task).
  ActiveFaults faults;
  {
    std::lock_guard<std::mutex> lock(mu);
    for (size_t i = 0; i < sc.faults.size(); ++i) {
      const Fault& f = sc.faults[i];
      if (f.endpoint != "any" && f.endpoint != rec.endpoint) continue;
      int& n = f.per_task ? fault_task_counts[{i, rec.task_id}] : fault_counts[i];
      ++n;
      if (n > f.skip && (f.times == 0 || n <= f.skip + f.times)) faults.push_back(&f);
    }
  }
  for (const Fault* f : faults)
    if (rec.fault.empty() && f->kind != "machine_missing") rec.fault = f->kind;

  // Network / proxy level faults come first: the request never reaches Django.
  if (const Fault* f = find_fault(faults, "delay")) {
    if (!sleep_ms(f->delay_ms)) {
      close_connection(conn_fd());
      return finish(0);
    }
  }
  if (find_fault(faults, "close")) {
    finish(0);
    close_connection(conn_fd());
    return;
  }
  if (const Fault* f = find_fault(faults, "reset"); f && f->after_bytes < 0) {
    finish(0);
    reset_connection(conn_fd());
    return;
  }
  if (const Fault* f = find_fault(faults, "http_status")) {
    if (f->status == 500) set_html(res, 500, django_500_page("Exception", path, f->message.empty() ? "Injected server error" : f->message));
    else set_html(res, f->status, nginx_error_page(f->status));
    return finish(f->status);
  }

  // nginx's client_max_body_size: 413 before the request reaches Django (any endpoint).
  if (sc.max_upload_bytes > 0) {
    const std::string length = req.get_header_value("Content-Length");
    const uint64_t size = length.empty() ? req.body.size() : std::strtoull(length.c_str(), nullptr, 10);
    if (size > static_cast<uint64_t>(sc.max_upload_bytes)) {
      set_html(res, 413, nginx_error_page(413));
      if (rec.fault.empty()) rec.fault = "upload_too_large";
      return finish(413);
    }
  }

  // DRF: authentication, permission (IsAuthenticated), throttling, then the method check.
  bool staff = false;
  if (!sc.tokens.empty()) {
    const std::string header = req.get_header_value("Authorization");
    std::vector<std::string> parts;
    for (size_t i = 0; i < header.size();) {
      size_t j = header.find_first_of(" \t", i);
      if (j == std::string::npos) j = header.size();
      if (j > i) parts.push_back(header.substr(i, j - i));
      i = j + 1;
    }
    std::string keyword = parts.empty() ? "" : parts[0];
    for (auto& ch : keyword) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const Token* token = nullptr;
    std::string failure;
    if (parts.empty() || keyword != "token") failure = "Authentication credentials were not provided.";
    else if (parts.size() == 1) failure = "Invalid token header. No credentials provided.";
    else if (parts.size() > 2) failure = "Invalid token header. Token string should not contain spaces.";
    else {
      for (const auto& t : sc.tokens)
        if (t.key == parts[1]) token = &t;
      if (!token) failure = "Invalid token.";
      else if (token->state == "revoked") failure = "API key has been revoked.";
      else if (token->state == "inactive") failure = "User inactive or deleted.";
    }
    if (!failure.empty()) {
      set_detail(res, 401, failure, allow);
      res.set_header("WWW-Authenticate", "Token");
      return finish(401);
    }
    if (token->state == "forbidden") {
      set_detail(res, 403, "You do not have permission to perform this action.", allow);
      return finish(403);
    }
    staff = token->staff;
    int n = 0;
    std::chrono::milliseconds period{0};
    int wait = -1;
    if (!staff && parse_rate(token->rate, n, period)) {
      std::lock_guard<std::mutex> lock(mu);
      auto& counters = throttle_history[token->key];
      if (counters.empty()) counters.resize(sc.throttle_counters);
      auto& hist = counters[sc.throttle_counters > 1 ? rng() % sc.throttle_counters : 0];
      const auto now = Clock::now();
      while (!hist.empty() && hist.back() <= now - period) hist.pop_back();
      if (static_cast<int>(hist.size()) >= n) {
        // DRF SimpleRateThrottle.wait(): remaining time of the oldest request / available requests.
        const double remaining = std::chrono::duration<double>(period - (now - hist.back())).count();
        wait = static_cast<int>(std::ceil(remaining / (n - static_cast<int>(hist.size()) + 1)));
      } else {
        hist.push_front(now);
      }
    }
    if (wait >= 0) {
      set_detail(res, 429, "Request was throttled. Expected available in " + std::to_string(wait) +
                               (wait == 1 ? " second." : " seconds."), allow);
      res.set_header("Retry-After", std::to_string(wait));
      if (rec.fault.empty()) rec.fault = "throttled";
      return finish(429);
    }
  }
  if (const Fault* f = find_fault(faults, "throttle")) {
    const int wait = f->retry_after;
    set_detail(res, 429, "Request was throttled. Expected available in " + std::to_string(wait) +
                             (wait == 1 ? " second." : " seconds."), allow);
    res.set_header("Retry-After", std::to_string(wait));
    return finish(429);
  }
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  if (method == "OPTIONS") {
    json::Value b = {{"name", route->endpoint}, {"description", ""}, {"renders", {"application/json", "text/html"}},
                     {"parses", {"application/json", "application/x-www-form-urlencoded", "multipart/form-data"}}};
    set_json(res, b, 200, allow);
    return finish(200);
  }
  if (std::find(route->methods.begin(), route->methods.end(), method) == route->methods.end()) {
    set_detail(res, 405, "Method \"" + req.method + "\" not allowed.", allow);
    return finish(405);
  }

  // The view, with the emulator state locked (report building unlocks around the zip).
  if (const Fault* f = find_fault(faults, "slow_report"); f && route->endpoint == "tasks/report" && f->delay_ms > 0) {
    if (!sleep_ms(f->delay_ms)) {
      close_connection(conn_fd());
      return finish(0);
    }
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    if (const Fault* f = find_fault(faults, "error_200")) {
      set_json(res, error_body(f->message.empty() ? "Injected error" : f->message), 200, allow);
    } else {
      ViewContext ctx{*this, req, res, groups, faults, staff, conn_fd, rec};
      route->view(ctx);
    }
  }
  // DRF content negotiation: a client asking for HTML only gets the browsable API page, not JSON.
  const std::string accept = req.get_header_value("Accept");
  if (res.get_header_value("Content-Type") == "application/json" && accept.find("text/html") != std::string::npos &&
      accept.find("application/json") == std::string::npos && accept.find("*/*") == std::string::npos) {
    const std::string json_text = res.body;
    res.set_content(browsable_api_page(path, res.status, json_text), "text/html; charset=utf-8");
  }
  // A reset after N body bytes of a JSON answer (zips handle it while streaming).
  if (const Fault* f = find_fault(faults, "reset"); f && f->after_bytes >= 0 && !res.body.empty()) {
    auto body = std::make_shared<std::string>(std::move(res.body));
    res.body.clear();
    const size_t cut = std::min<size_t>(body->size(), static_cast<size_t>(f->after_bytes));
    const int fd = conn_fd();
    res.set_content_provider(body->size(), res.get_header_value("Content-Type"),
                             [body, cut, fd](size_t offset, size_t, httplib::DataSink& sink) {
                               if (offset < cut) return sink.write(body->data() + offset, cut - offset);
                               reset_connection(fd);
                               return false;
                             });
  }
  finish(res.status);
}

json::Value Emulator::calls_json_of(const Impl& impl) {
  std::lock_guard<std::mutex> lock(impl.mu);
  json::Value out = json::Value::object();
  out["calls"] = json::Value::array();
  json::Value counts = json::Value::object();
  for (const auto& name : endpoint_names()) counts[name] = 0;
  for (const auto& r : impl.calls) {
    out["calls"].push_back(call_json(r));
    if (!r.endpoint.empty()) counts[r.endpoint] = counts[r.endpoint].get<int>() + 1;
  }
  out["counts"] = counts;
  return out;
}

json::Value Emulator::tasks_json_of(const Impl& impl) {
  std::lock_guard<std::mutex> lock(impl.mu);
  json::Value out = json::Value::object();
  out["tasks"] = json::Value::array();
  const auto now = Clock::now();
  for (const auto& [id, t] : impl.tasks) {
    json::Value j = json::Value::object();
    j["id"] = id;
    j["target"] = t.target;
    j["sha256"] = t.hashes.sha256;
    j["status"] = impl.phase(t, now).status;
    j["deleted"] = t.deleted;
    j["machine"] = t.machine >= 0 ? json::Value(impl.sc.machines[t.machine].name) : json::Value(nullptr);
    j["sample_folder"] = t.sample_dir.empty() ? json::Value(nullptr) : json::Value(t.sample_dir.filename().string());
    j["views"] = t.views;
    j["report_downloads"] = t.report_downloads;
    j["form"] = t.form;
    out["tasks"].push_back(j);
  }
  return out;
}

Emulator::Emulator(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Emulator::~Emulator() { stop(); }

Status Emulator::start(const std::string& host, int port) {
  Impl& m = *impl_;
  const std::string where = host + ":" + std::to_string(port);
  if (m.server || m.refuse_fd >= 0) return make_error(ErrorCode::kInternal, "emulator already started", where);
  if (!m.opt.allow_non_loopback && !is_loopback_host(host))
    return make_error(ErrorCode::kInvalidParams, "refusing to listen on a non-loopback address", where);
  auto idx = SampleIndex::load(m.opt.samples_dir);
  if (!idx.ok()) return idx.error();
  m.samples = std::move(idx.value());
  if (!m.sc.fallback_sample.empty() && m.samples.find(m.sc.fallback_sample).empty())
    return make_error(ErrorCode::kInvalidParams, "fallback_sample '" + m.sc.fallback_sample + "' not found",
                      m.opt.samples_dir.string());
  m.host = host;
  {
    std::lock_guard<std::mutex> lock(m.mu);
    m.stopping = false;
  }
  std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the process

  if (m.sc.host_down == "refuse") {
    // Bound but not listening: connections are refused, and nobody else can take the port meanwhile.
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    if (fd < 0 || inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(), &a.sin_addr) != 1 ||
        bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      if (fd >= 0) close(fd);
      return make_error(ErrorCode::kConnect, "cannot bind", where);
    }
    socklen_t len = sizeof a;
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    m.refuse_fd = fd;
    m.bound_port = ntohs(a.sin_port);
    return {};
  }

  m.server = std::make_unique<httplib::Server>();
  auto& s = *m.server;
  s.new_task_queue = [] { return new httplib::ThreadPool(16); };
  s.set_keep_alive_timeout(2);  // short, so stop() does not wait long on idle keep-alive connections
  auto handler = [&m](const httplib::Request& req, httplib::Response& res) { m.handle(req, res); };
  s.Get(".*", handler);
  s.Post(".*", handler);
  s.Put(".*", handler);
  s.Patch(".*", handler);
  s.Delete(".*", handler);
  s.Options(".*", handler);
  s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(django_500_page("Exception", req.path, "emulator error"), "text/html");
  });
  int bound = port == 0 ? s.bind_to_any_port(host) : (s.bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    m.server.reset();
    return make_error(ErrorCode::kConnect, "cannot bind", where);
  }
  m.bound_port = bound;
  m.thread = std::thread([&s] { s.listen_after_bind(); });
  return {};
}

int Emulator::port() const { return impl_->bound_port; }

std::string Emulator::base_url() const {
  const std::string h = impl_->host == "localhost" || impl_->host.empty() ? "127.0.0.1" : impl_->host;
  return "http://" + (h.find(':') != std::string::npos ? "[" + h + "]" : h) + ":" + std::to_string(port());
}

void Emulator::stop() {
  Impl& m = *impl_;
  {
    std::lock_guard<std::mutex> lock(m.mu);
    m.stopping = true;
  }
  m.stop_cv.notify_all();
  if (m.server) {
    m.server->stop();
    shutdown_connections(m.bound_port);  // idle keep-alive connections would hold the workers for seconds
    if (m.thread.joinable()) m.thread.join();
    m.server.reset();
  }
  if (m.refuse_fd >= 0) {
    close(m.refuse_fd);
    m.refuse_fd = -1;
  }
}

std::vector<CallRecord> Emulator::calls() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->calls;
}

size_t Emulator::call_count(const std::string& endpoint, int64_t task_id) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  size_t n = 0;
  for (const auto& c : impl_->calls)
    if (c.endpoint == endpoint && (task_id < 0 || c.task_id == task_id)) ++n;
  return n;
}

json::Value Emulator::tasks_json() const { return tasks_json_of(*impl_); }

}  // namespace alcape::emulators::nest
