// Process exit codes of the al-cape binary: one per kind of failure, so scripts can tell them apart.
#pragma once

#include "core/error_policy.hpp"
#include "core/status.hpp"

namespace alcape::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 2,
  kExitUnreadable = 3,
  kExitNotJson = 4,
  kExitBadZip = 5,
  kExitTooLarge = 6,
  kExitTooDeep = 7,
  kExitInvalidReport = 8,
  kExitInvalidParams = 9,
  kExitInternal = 10,
  kExitCannotWrite = 11,  // --out: an output file could not be written
  // al-cape analyze: the nest task failed; a partial result (with an error section) was still printed.
  kExitRecoverable = 12,     // worth retrying later (nest down, timeout, deadline, throttled, cancelled)
  kExitNonRecoverable = 13,  // retrying cannot help (auth, API error, CAPE task failed, bad answer, hostile zip)
};

inline int exit_code_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::kUnreadable: return kExitUnreadable;
    case ErrorCode::kNotJson:
    case ErrorCode::kInvalidJson: return kExitNotJson;
    case ErrorCode::kNotZip:
    case ErrorCode::kZipNoReport:
    case ErrorCode::kZipInvalid: return kExitBadZip;
    case ErrorCode::kTooLarge: return kExitTooLarge;
    case ErrorCode::kTooDeep: return kExitTooDeep;
    case ErrorCode::kInvalidReport: return kExitInvalidReport;
    case ErrorCode::kInvalidParams: return kExitInvalidParams;
    case ErrorCode::kInternal: return kExitInternal;
    // Failures at the edges (nest, service server): the one error policy says which kind they are.
    default:
      return on_task_failure(code) == Disposition::kRecoverable ? kExitRecoverable : kExitNonRecoverable;
  }
}

}  // namespace alcape::cli
