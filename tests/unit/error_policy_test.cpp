#include "core/error_policy.hpp"

#include <gtest/gtest.h>

namespace alcape {
namespace {

TEST(ErrorPolicy, TransientNetworkFailuresRetryTheCall) {
  EXPECT_EQ(on_call_failure(ErrorCode::kConnect), Disposition::kRetryCall);
  EXPECT_EQ(on_call_failure(ErrorCode::kTimeout), Disposition::kRetryCall);
  EXPECT_EQ(on_call_failure(ErrorCode::kThrottled), Disposition::kRetryCall);
  EXPECT_EQ(on_call_failure(ErrorCode::kTaskMissing), Disposition::kRetryCall);
}

TEST(ErrorPolicy, AuthAndApiErrorsAreFinal) {
  EXPECT_EQ(on_call_failure(ErrorCode::kAuth), Disposition::kNonRecoverable);
  EXPECT_EQ(on_call_failure(ErrorCode::kApiError), Disposition::kNonRecoverable);
  EXPECT_EQ(on_task_failure(ErrorCode::kTaskFailed), Disposition::kNonRecoverable);
}

TEST(ErrorPolicy, ExhaustedTransientFailuresAreRecoverableNeverRetry) {
  for (ErrorCode c : {ErrorCode::kConnect, ErrorCode::kTimeout, ErrorCode::kHttpStatus, ErrorCode::kDeadline,
                      ErrorCode::kCancelled, ErrorCode::kNoMachine}) {
    EXPECT_EQ(on_task_failure(c), Disposition::kRecoverable) << to_string(c);
  }
}

}  // namespace
}  // namespace alcape
