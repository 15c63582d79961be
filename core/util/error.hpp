#pragma once
// Errors as values (Expected<T>) and the one exception type that carries
// context up to main.

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace pushgate {

// What kind of failure, so callers and exit codes can tell them apart.
enum class ErrorCode {
  io,        // a file or folder could not be read or written
  git,       // libgit2 reported an error
  config,    // a configuration file is invalid
  usage,     // the caller asked for something that cannot be done
  input,     // hook input or other external data is malformed
  internal,  // a bug or an impossible state
};

// An expected failure: a code and a message that names the file, ref or host.
struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;
};

// Thrown only for failures that cannot be handled where they happen; caught
// once in each main() and printed as `<tool>: error: <message>`.
class Failure : public std::runtime_error {
 public:
  explicit Failure(Error error)
      : std::runtime_error(error.message), m_code(error.code) {}
  Failure(ErrorCode code, const std::string& message)
      : std::runtime_error(message), m_code(code) {}
  ErrorCode code() const { return m_code; }

 private:
  ErrorCode m_code;
};

// Either a value or an Error. value() on an error throws Failure, so a caller
// that cannot handle the error still reports it with its context.
template <class T>
class Expected {
 public:
  Expected(T value) : m_state(std::move(value)) {}
  Expected(Error error) : m_state(std::move(error)) {}

  bool has_value() const { return m_state.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    throw_if_error();
    return std::get<0>(m_state);
  }
  T&& value() && {
    throw_if_error();
    return std::get<0>(std::move(m_state));
  }
  const T& value() const& {
    throw_if_error();
    return std::get<0>(m_state);
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Precondition: !has_value().
  const Error& error() const { return std::get<1>(m_state); }

 private:
  void throw_if_error() const {
    if (!has_value()) throw Failure(std::get<1>(m_state));
  }
  std::variant<T, Error> m_state;
};

}  // namespace pushgate
