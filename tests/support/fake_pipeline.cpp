#include "support/fake_pipeline.hpp"

#include "core/digest.hpp"

#include <fstream>
#include <thread>

namespace alcape::test_support {

namespace {

pipeline::Artifact write_artifact(const std::filesystem::path& dir, const std::string& name, const std::string& body,
                                  bool supplementary, bool image) {
  std::filesystem::path p = dir / name;
  std::ofstream(p, std::ios::binary) << body;
  return {p, name, "fake " + name, digest::sha256_file(p).value(), supplementary, image};
}

}  // namespace

service::PipelineFn make_fake_pipeline(std::chrono::milliseconds delay) {
  return [delay](const pipeline::FileToAnalyse& file, const config::ServiceConfig&,
                 const config::SubmissionParams& params, const pipeline::RunOptions& run) {
    pipeline::Outcome o;
    auto end = std::chrono::steady_clock::now() + delay;
    while (std::chrono::steady_clock::now() < end) {
      if (run.cancel && run.cancel->load()) {
        o.failure = Disposition::kRecoverable;
        o.error = Error{ErrorCode::kCancelled, "the service is stopping", file.sha256};
        return o;
      }
      if (std::chrono::steady_clock::now() >= run.deadline) {
        o.failure = on_task_failure(ErrorCode::kDeadline);
        o.error = Error{ErrorCode::kDeadline, "the analysis did not end before the service deadline", file.sha256};
        return o;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (auto [marker, code] : {std::pair{"fail-recoverable", ErrorCode::kConnect},
                                std::pair{"fail-nonrecoverable", ErrorCode::kInvalidInput}}) {
      if (file.name.find(marker) != std::string::npos) {
        o.failure = on_task_failure(code);
        o.error = Error{code, std::string("fake failure: ") + marker, file.sha256};
        return o;
      }
    }
    auto& info = o.root->add_child("Fake analysis");
    info.add_line("file " + file.name + " (" + file.file_type + ")");
    info.add_line("params " + params.dump());
    auto& iocs = info.add_child("Network indicators");
    iocs.add_line("fake traffic");
    iocs.tags.add("network.dynamic.domain", "evil.example.org");
    iocs.tags.add("network.dynamic.ip", "203.0.113.7");
    iocs.tags.add("network.port", 443);
    iocs.set_heuristic(38);
    o.extracted.push_back(write_artifact(run.work_dir, "payload.bin", "payload of " + file.sha256, false, false));
    o.supplementary.push_back(write_artifact(run.work_dir, "notes.txt", "notes on " + file.sha256, true, false));
    o.supplementary.push_back(write_artifact(run.work_dir, "shot.jpg", "jpeg of " + file.sha256, true, true));
    return o;
  };
}

}  // namespace alcape::test_support
