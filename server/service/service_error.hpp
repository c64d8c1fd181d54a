#pragma once

// The errors an operation can answer with, as the API model names them. The protocol layer
// turns them into `__type`, HTTP status and message in exactly one place (error_response.cpp).

#include <stdexcept>
#include <string>

namespace rekmock::service {

enum class ErrorKind {
    AccessDenied,
    IdempotentParameterMismatch,
    InternalServerError,
    InvalidManifest,
    InvalidPaginationToken,
    InvalidParameter,
    InvalidS3Object,
    LimitExceeded,
    ProvisionedThroughputExceeded,
    ResourceNotFound,
    Throttling,
};

class ServiceError : public std::runtime_error {
  public:
    ServiceError(ErrorKind kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

  private:
    ErrorKind kind_;
};

}  // namespace rekmock::service
