// Stand-in for src/pipeline while the "client" branch is not merged: every task fails non-recoverably with a
// clear message. CMake links it only when src/pipeline has no sources.
#include "pipeline/pipeline.hpp"

namespace alcape::pipeline {

Outcome run(const FileToAnalyse& file, const config::ServiceConfig&, const config::SubmissionParams&,
            const RunOptions&) {
  Outcome o;
  o.failure = Disposition::kNonRecoverable;
  o.error = Error{ErrorCode::kInternal, "this al-cape was built without the CAPE pipeline", file.sha256};
  return o;
}

}  // namespace alcape::pipeline
