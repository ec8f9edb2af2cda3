// passline: expected failures as values.
//
// Every fallible engine call returns a Result<T>: either a value or an Error carrying a stable
// code (SPEC.md §6: bad_decimal, unknown_region, ...) and the JSON path of the offending value
// (`units[0].applicants[3].id`). Exceptions are reserved for programmer errors and resource
// exhaustion. Thread-safety: plain values; safe to share read-only.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "passline/error_code.h"

namespace passline {

/// A stable, machine-readable failure. `code` never changes meaning between releases;
/// `path` locates the offending value in the input document; `message` is one human sentence
/// saying what was wrong and what would be right.
struct Error {
  ErrorCode code;
  std::string path;
  std::string message;
};

/// Either a T or an Error. Check ok() before value(); value() on an error is a programmer error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

/// Builds an Error; `message` defaults to empty and is filled by the layer that knows more.
inline Error make_error(ErrorCode code, std::string path, std::string message = {}) {
  return Error{code, std::move(path), std::move(message)};
}

/// The outcome of a call that yields no value: ok, or an Error. Check ok() before error().
class [[nodiscard]] Status {
 public:
  Status() = default;                                // ok
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  static Status ok_status() noexcept { return Status(); }

  bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }

  const Error& error() const& { return *error_; }
  Error&& error() && { return *std::move(error_); }

 private:
  std::optional<Error> error_;
};

}  // namespace passline
