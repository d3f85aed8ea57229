// A stand-in analysis for the protocol tests (`al-cape-test-service service`, tests/e2e): no CAPE, a deterministic result
// with one section per kind of content the real one posts (text, tags, heuristic), one extracted and one
// supplementary file and a section image. Its behaviour is steered by the submitted file's name:
// "fail-recoverable" / "fail-nonrecoverable" in the name make it fail that way. `delay` simulates the
// analysis time; it ends early with kCancelled when `cancel` is set, kDeadline at the deadline.
#pragma once

#include "service/task_executor.hpp"

namespace alcape::test_support {

service::PipelineFn make_fake_pipeline(std::chrono::milliseconds delay);

}  // namespace alcape::test_support
