// The one place that decides what an error means for the work in progress: try the same call again, give the
// task back to Assemblyline to retry later (recoverable), or fail it for good (non-recoverable).
// Code that raises an error never decides this itself; it returns an Error with the right code.
#pragma once

#include "core/status.hpp"

namespace alcape {

enum class Disposition {
  kRetryCall,       // transient: the same call again after a backoff, while attempts and the deadline allow
  kRecoverable,     // give up on this task now; Assemblyline should retry it later (FAIL_RECOVERABLE)
  kNonRecoverable,  // retrying cannot help (FAIL_NONRECOVERABLE)
};

// What to do right after one call failed with `code`.
Disposition on_call_failure(ErrorCode code);

// What the task outcome is once retrying the call is no longer possible (attempts or deadline exhausted):
// never kRetryCall.
Disposition on_task_failure(ErrorCode code);

const char* to_string(Disposition d);

}  // namespace alcape
