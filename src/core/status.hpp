// Errors as values (in the spirit of absl::Status): a code saying what kind of failure it is, a message saying
// what failed, and context saying for what (file, task id, host). The decision retry / recoverable / final is
// made from the code in one place (core/error_policy.hpp), never where the error is raised.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace alcape {

enum class ErrorCode {
  kUnreadable,        // a file could not be read
  kNotJson,           // input is neither JSON nor a zip
  kInvalidJson,       // JSON syntax error
  kNotZip,            // a zip was expected
  kZipNoReport,       // the zip holds no reports/lite.json
  kZipInvalid,        // corrupt or hostile archive
  kTooLarge,          // over a configured size limit
  kTooDeep,           // nesting deeper than the configured limit
  kInvalidReport,     // JSON, but not a CAPE report (e.g. top level not an object)
  kInvalidParams,     // bad parameter/config file
  kInternal,          // a bug: an invariant did not hold
  // Talking to a CAPE nest or the Assemblyline service server (the edges).
  kConnect,           // connection refused/reset, DNS failure, TLS handshake failure
  kTimeout,           // a call or the task deadline ran out
  kHttpStatus,        // an unexpected HTTP status (5xx page, 404, 405, 301, ...)
  kApiError,          // the API answered with its error envelope ("error": true / non-empty list)
  kAuth,              // 401/403: the token or key is wrong; final for that host
  kThrottled,         // 429: honour Retry-After
  kBadAnswer,         // an answer that is not what the API documents (not JSON, missing fields)
  kNoMachine,         // the requested machine/platform/image does not exist on any nest
  kTaskFailed,        // CAPE reports failed_analysis / failed_processing
  kTaskMissing,       // "Task not found" after it was created
  kDeadline,          // the overall task deadline passed
  kCancelled,         // shutdown requested (SIGTERM)
  kInvalidInput,      // the submitted file or task cannot be analysed as given
  kMissingLibrary,    // a shared library loaded on demand (libcurl, libmagic) is absent or incomplete
};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;  // what failed, for a person
  std::string context;  // for what: "report /x/lite.json", "task 42 on 10.0.0.5:8000"

  std::string describe() const { return context.empty() ? message : context + ": " + message; }
};

// A value or an Error.
template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : v_(std::move(value)) {}       // NOLINT: implicit by design
  StatusOr(Error error) : v_(std::move(error)) {}   // NOLINT
  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const Error& error() const { return std::get<Error>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Success, or an Error, for operations that return no value.
class Status {
 public:
  Status() = default;                                    // ok
  Status(Error error) : error_(std::move(error)) {}    // NOLINT: implicit by design
  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

inline Error make_error(ErrorCode code, std::string message, std::string context = {}) {
  return Error{code, std::move(message), std::move(context)};
}

}  // namespace alcape
