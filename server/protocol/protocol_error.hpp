#pragma once

// Faults of the AWS JSON 1.1 protocol itself, detected before any operation runs.

#include <stdexcept>
#include <string>

namespace rekmock::protocol {

enum class ProtocolErrorKind {
    Serialization,     // malformed JSON, a body that is not an object, a member of the wrong type
    UnknownOperation,  // missing or unknown X-Amz-Target
};

class ProtocolError : public std::runtime_error {
  public:
    ProtocolError(ProtocolErrorKind kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    ProtocolErrorKind kind() const noexcept { return kind_; }

  private:
    ProtocolErrorKind kind_;
};

}  // namespace rekmock::protocol
