#include "core/status.hpp"

namespace alcape {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kUnreadable: return "unreadable";
    case ErrorCode::kNotJson: return "not_json";
    case ErrorCode::kInvalidJson: return "invalid_json";
    case ErrorCode::kNotZip: return "not_zip";
    case ErrorCode::kZipNoReport: return "zip_without_report";
    case ErrorCode::kZipInvalid: return "zip_invalid";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kTooDeep: return "too_deep";
    case ErrorCode::kInvalidReport: return "invalid_report";
    case ErrorCode::kInvalidParams: return "invalid_params";
    case ErrorCode::kInternal: return "internal";
    case ErrorCode::kConnect: return "connect";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kHttpStatus: return "http_status";
    case ErrorCode::kApiError: return "api_error";
    case ErrorCode::kAuth: return "auth";
    case ErrorCode::kThrottled: return "throttled";
    case ErrorCode::kBadAnswer: return "bad_answer";
    case ErrorCode::kNoMachine: return "no_machine";
    case ErrorCode::kTaskFailed: return "task_failed";
    case ErrorCode::kTaskMissing: return "task_missing";
    case ErrorCode::kDeadline: return "deadline";
    case ErrorCode::kCancelled: return "cancelled";
    case ErrorCode::kInvalidInput: return "invalid_input";
    case ErrorCode::kMissingLibrary: return "missing_library";
  }
  return "unknown";
}

}  // namespace alcape
