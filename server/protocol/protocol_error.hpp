#pragma once

// Faults of the AWS JSON 1.1 protocol itself, detected before any operation runs.

#include <stdexcept>
#include <string>

namespace rekmock::protocol {

enum class ProtocolErrorKind {
    Serialization,     // malformed JSON, a body that is not an object, a member of the wrong type
    UnknownOperation,  // missing or unknown X-Amz-Target
    // --auth sigv4 only:
    MissingAuthenticationToken,  // no Authorization header
    IncompleteSignature,         // an Authorization header that is not a whole SigV4 one
    UnrecognizedClient,          // an access key id that is not configured
    InvalidSignature,            // a wrong signature, or one older than 15 minutes
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
