#include "service/task_handler_mode.hpp"

#include "service/log.hpp"
#include "service/manifest.hpp"
#include "service/server_client.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace alcape::service {
namespace {

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool write_text(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::path tmp = p;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!(out << text)) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, p, ec);
  return !ec;
}

bool make_fifo(const std::filesystem::path& p) {
  struct stat st{};
  if (stat(p.c_str(), &st) == 0) return S_ISFIFO(st.st_mode);
  return mkfifo(p.c_str(), 0600) == 0;
}

// open() of a FIFO blocks until the other side opens it; poll with O_NONBLOCK so SIGTERM is seen.
int open_fifo(const std::filesystem::path& p, bool for_write, const std::atomic<bool>& stop) {
  if (!for_write) {
    int fd = open(p.c_str(), O_RDONLY | O_NONBLOCK);
    if (fd < 0) return -1;
    // Wait for a writer: POLLHUP is reported until one connects, so look at the writer count via a read probe.
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return fd;
  }
  while (!stop.load()) {
    int fd = open(p.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) {
      fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
      return fd;
    }
    if (errno != ENXIO) return -1;  // ENXIO: no reader yet
    usleep(20000);
  }
  return -1;
}

// One line from the task FIFO; false on EOF (the handler closed its end) or stop.
bool read_line(int fd, std::string& buffer, std::string& line, const std::atomic<bool>& stop, bool& writer_seen) {
  for (;;) {
    auto nl = buffer.find('\n');
    if (nl != std::string::npos) {
      line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      return true;
    }
    if (stop.load()) return false;
    pollfd p{fd, POLLIN, 0};
    int r = poll(&p, 1, 100);
    if (r <= 0) continue;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0) {
      writer_seen = true;
      buffer.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) {
      // EOF: before the handler connected (non-blocking open) keep waiting, afterwards it means shutdown.
      if (writer_seen) return false;
      usleep(20000);
    }
  }
}

}  // namespace

int run_task_handler_mode(TaskHandlerOptions o, const std::atomic<bool>& stop) {
  const std::string prefix = o.runtime_prefix;
  const auto manifest_path = o.fifo_dir / (prefix + "_manifest.yml");
  const auto task_fifo = o.fifo_dir / (prefix + "_task.fifo");
  const auto done_fifo = o.fifo_dir / (prefix + "_done.fifo");
  const auto ready_path = o.fifo_dir / (prefix + "_ready");
  std::error_code ec;
  std::filesystem::remove(ready_path, ec);

  // 1. The runtime manifest, version substituted (the handler registers it).
  if (!std::filesystem::exists(manifest_path)) {
    std::string text = o.manifest_yaml;
    std::string tag = o.service_tag.empty() ? std::string("4.7.0.dev0") : o.service_tag;
    for (size_t pos; (pos = text.find("$SERVICE_TAG")) != std::string::npos;) text.replace(pos, 12, tag);
    if (!write_text(manifest_path, text)) {
      log::error("cannot write " + manifest_path.string());
      return 1;
    }
  }
  // 2. The FIFOs: the task FIFO is opened for reading, the done FIFO for writing, as run_service does.
  if (!make_fifo(task_fifo) || !make_fifo(done_fifo)) {
    log::error("cannot create the FIFOs in " + o.fifo_dir.string());
    return 1;
  }
  log::info("waiting for the task handler on " + task_fifo.string());
  int task_fd = open_fifo(task_fifo, false, stop);
  int done_fd = open_fifo(done_fifo, true, stop);
  if (task_fd < 0 || done_fd < 0) {
    if (task_fd >= 0) close(task_fd);
    if (stop.load()) return 0;
    log::error("cannot open the FIFOs");
    return 1;
  }
  // 3. The handler has rewritten the manifest with the server's service_config: read it again.
  ServiceSetup setup = o.setup;
  auto manifest = yaml_to_json(read_text(manifest_path));
  if (manifest.ok()) {
    auto applied = apply_service_config(setup, *manifest);
    if (applied.ok()) setup = std::move(applied).value();
    else log::error("runtime manifest config invalid, keeping defaults: " + applied.error().describe());
    if (manifest->contains("version") && (*manifest)["version"].is_string())
      setup.identity.version = strip_stable((*manifest)["version"].get<std::string>());
  }
  // 4. Ready: the handler asks for tasks only while this file exists.
  std::ofstream(ready_path).close();
  log::info("ready for tasks");

  std::string buffer, line;
  bool writer_seen = false;
  long done = 0;
  while (read_line(task_fd, buffer, line, stop, writer_seen)) {
    if (line.empty()) break;  // the stock service treats an empty line as the end
    auto started = std::chrono::steady_clock::now();
    json::Value task = json::Value::parse(read_text(line), nullptr, false);
    std::string reply;
    std::string sid = task.is_object() ? task.value("sid", "") : "";
    std::string sha = task.is_object() && task.contains("fileinfo") ? task["fileinfo"].value("sha256", "") : "";
    auto result_path = o.tasking_dir / fmt::format("{}_{}_result.json", sid, sha);
    auto error_path = o.tasking_dir / fmt::format("{}_{}_error.json", sid, sha);
    if (!task.is_object()) {
      log::error("unreadable task JSON " + line);
      reply = R"([null, "ERROR_FOUND"])";
    } else {
      const std::string tp = task_prefix(task);
      log::info(tp + "task received");
      auto work = o.tasking_dir / "working_directory" / fmt::format("alcape-{}-{}", getpid(), done);
      std::filesystem::create_directories(work, ec);
      std::atomic<bool> cancel{false};
      TaskOutput out = execute_task(task, o.tasking_dir / sha, setup, o.pipeline,
                                    {started + own_budget(setup.timeout_seconds), work, &stop});
      if (out.ok) {
        // The stock handler uploads from each entry's `path` and reads `is_supplementary` (then drops `path`).
        for (const auto& f : out.files)
          for (const char* k : {"extracted", "supplementary"})
            for (auto& e : out.payload["response"][k])
              if (e["sha256"] == f.sha256) {
                e["path"] = std::filesystem::absolute(f.path).string();
                e["is_supplementary"] = f.supplementary;
              }
        write_text(result_path, out.payload.dump());
        reply = json::Value::array({result_path.string(), "RESULT_FOUND"}).dump();
        log::info(tp + "result written: " + out.summary);
      } else {
        write_text(error_path, out.payload.dump());
        reply = json::Value::array({error_path.string(), "ERROR_FOUND"}).dump();
        log::warning(tp + "task failed: " + out.summary);
      }
    }
    reply += "\n";
    if (::write(done_fd, reply.data(), reply.size()) != static_cast<ssize_t>(reply.size())) {
      log::error("the task handler closed the done FIFO");
      break;
    }
    ++done;
    malloc_trim(0);  // give the task's freed heap back while waiting for the next one (as in native mode)
  }
  close(task_fd);
  close(done_fd);
  log::info(fmt::format("task FIFO closed after {} task(s): stopping", done));
  return 0;
}

}  // namespace alcape::service
