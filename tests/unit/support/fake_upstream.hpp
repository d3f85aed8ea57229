// An in-test fake CAPE nest (Envoy-style): an httplib server on 127.0.0.1, ephemeral port, in a thread; the test
// scripts each answer through a handler and asserts what the client sent (recorded requests).
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace alcape::testing {

struct Reply {
  int status = 200;
  std::string body = R"({"error": false, "data": {}})";
  std::string content_type = "application/json";
  std::map<std::string, std::string> headers;
  int delay_ms = 0;          // sleep before answering (timeouts)
  bool reset_mid_body = false;  // announce the body, send half, drop the connection (uwsgi recycling)
};

inline Reply json_reply(const std::string& body, int status = 200) { return Reply{status, body}; }
inline Reply html_reply(int status, const std::string& body = "<html><body>Server Error (500)</body></html>") {
  return Reply{status, body, "text/html; charset=utf-8"};
}

struct Recorded {
  std::string method, path;
  std::map<std::string, std::string> headers;
  std::map<std::string, std::string> fields;  // multipart text fields
  std::string file_name, file_content;        // multipart "file" part
  std::string body;                           // raw body (PUT/POST that is not multipart)
};

class FakeUpstream {
 public:
  using Handler = std::function<Reply(const Recorded&)>;

  explicit FakeUpstream(Handler handler) : handler_(std::move(handler)) {
    auto serve = [this](const httplib::Request& req, httplib::Response& res) {
      Recorded r;
      r.method = req.method;
      r.path = req.path;
      if (!req.is_multipart_form_data()) r.body = req.body;
      for (const auto& [k, v] : req.headers) r.headers[k] = v;
      for (const auto& [k, f] : req.files) {
        if (f.filename.empty() && k != "file") r.fields[k] = f.content;
        else {
          r.file_name = f.filename;
          r.file_content = f.content;
        }
      }
      Handler h;
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(r);
        h = handler_;
      }
      Reply reply = h(r);
      if (reply.delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(reply.delay_ms));
      res.status = reply.status;
      for (const auto& [k, v] : reply.headers) res.set_header(k, v);
      if (reply.reset_mid_body) {
        auto body = std::make_shared<std::string>(reply.body);
        res.set_content_provider(body->size(), reply.content_type,
                                 [body](size_t offset, size_t, httplib::DataSink& sink) {
                                   if (offset == 0) {
                                     sink.write(body->data(), body->size() / 2);
                                     return true;
                                   }
                                   return false;  // abort: the client sees a short body / reset
                                 });
        return;
      }
      res.set_content(reply.body, reply.content_type);
    };
    server_.Get(".*", serve);
    server_.Post(".*", serve);
    server_.Put(".*", serve);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // stop() before listen would hang
  }
  ~FakeUpstream() {
    server_.stop();
    thread_.join();
  }

  int port() const { return port_; }
  std::vector<Recorded> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.size();
  }
  void set_handler(Handler h) {
    std::lock_guard<std::mutex> lock(mu_);
    handler_ = std::move(h);
  }

 private:
  httplib::Server server_;
  Handler handler_;
  std::mutex mu_;
  std::vector<Recorded> requests_;
  std::thread thread_;
  int port_ = 0;
};

// Answers in order, then repeats the last one.
inline FakeUpstream::Handler sequence(std::vector<Reply> replies) {
  auto state = std::make_shared<std::pair<std::mutex, size_t>>();
  auto list = std::make_shared<std::vector<Reply>>(std::move(replies));
  return [state, list](const Recorded&) {
    std::lock_guard<std::mutex> lock(state->first);
    size_t i = std::min(state->second++, list->size() - 1);
    return (*list)[i];
  };
}

}  // namespace alcape::testing
