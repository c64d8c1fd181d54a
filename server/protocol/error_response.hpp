#pragma once

// The one place where errors become AWS error responses: `__type`, HTTP status, message.

#include <boost/beast/http/status.hpp>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service_error.hpp"

namespace rekmock::protocol {

struct WireError {
    std::string_view type;  // "InvalidParameterException"
    boost::beast::http::status status;
    std::string message;
};

// Maps the exception in flight (ServiceError, ProtocolError, anything else) to its wire form;
// anything unexpected becomes InternalServerError with a generic message.
WireError to_wire_error(const std::exception_ptr& error);

// The AWS name of a service error kind ("ThrottlingException").
std::string_view error_type_name(service::ErrorKind kind);

// The service error kind named `type`, if any.
std::optional<service::ErrorKind> error_kind_named(std::string_view type);

// Every `__type` the mock answers with, service errors first, so names users give are checked.
std::vector<std::string_view> error_type_names();

// The JSON error body: {"__type", "Code", "Logref", "Message"}, as Rekognition sends it.
std::string error_body(const WireError& error, std::string_view logref);

}  // namespace rekmock::protocol
