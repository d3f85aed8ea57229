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
  }
  return "unknown";
}

}  // namespace alcape
