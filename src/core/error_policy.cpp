#include "core/error_policy.hpp"

namespace alcape {

Disposition on_call_failure(ErrorCode code) {
  switch (code) {
    case ErrorCode::kConnect:      // nest restarting, uwsgi recycling a worker
    case ErrorCode::kTimeout:      // one slow answer
    case ErrorCode::kHttpStatus:   // 5xx pages while the web server is sick
    case ErrorCode::kThrottled:    // 429: wait for Retry-After
    case ErrorCode::kTaskMissing:  // a fresh task not yet visible in the database
      return Disposition::kRetryCall;
    default:
      return on_task_failure(code);
  }
}

Disposition on_task_failure(ErrorCode code) {
  switch (code) {
    case ErrorCode::kConnect:
    case ErrorCode::kTimeout:
    case ErrorCode::kHttpStatus:
    case ErrorCode::kThrottled:
    case ErrorCode::kTaskMissing:
    case ErrorCode::kDeadline:   // the nest was too slow this time
    case ErrorCode::kCancelled:  // the container is stopping; another one will take the task
    case ErrorCode::kNoMachine:  // raised only when retry_on_no_machine asks for a later retry
      return Disposition::kRecoverable;
    case ErrorCode::kAuth:
    case ErrorCode::kApiError:
    case ErrorCode::kBadAnswer:
    case ErrorCode::kTaskFailed:
    case ErrorCode::kInvalidInput:
    case ErrorCode::kInvalidParams:
    case ErrorCode::kUnreadable:
    case ErrorCode::kNotJson:
    case ErrorCode::kInvalidJson:
    case ErrorCode::kNotZip:
    case ErrorCode::kZipNoReport:
    case ErrorCode::kZipInvalid:
    case ErrorCode::kTooLarge:
    case ErrorCode::kTooDeep:
    case ErrorCode::kInvalidReport:
    case ErrorCode::kInternal:
    case ErrorCode::kMissingLibrary:  // every container runs the same image: another try fails the same way
      return Disposition::kNonRecoverable;
  }
  return Disposition::kNonRecoverable;
}

const char* to_string(Disposition d) {
  switch (d) {
    case Disposition::kRetryCall: return "retry_call";
    case Disposition::kRecoverable: return "recoverable";
    case Disposition::kNonRecoverable: return "non_recoverable";
  }
  return "unknown";
}

}  // namespace alcape
