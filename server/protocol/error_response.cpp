#include "error_response.hpp"

#include "json_writer.hpp"
#include "protocol_error.hpp"
#include "service_error.hpp"

namespace rekmock::protocol {
namespace {

using boost::beast::http::status;
using service::ErrorKind;

template <typename Kind>
struct ErrorShape {
    Kind kind;
    std::string_view type;
    status http_status;
};

// Statuses from the Rekognition API reference: client faults 400, server faults 500.
constexpr ErrorShape<ErrorKind> kServiceErrors[] = {
    {ErrorKind::AccessDenied, "AccessDeniedException", status::bad_request},
    {ErrorKind::IdempotentParameterMismatch, "IdempotentParameterMismatchException",
     status::bad_request},
    {ErrorKind::InternalServerError, "InternalServerError", status::internal_server_error},
    {ErrorKind::InvalidManifest, "InvalidManifestException", status::bad_request},
    {ErrorKind::InvalidPaginationToken, "InvalidPaginationTokenException", status::bad_request},
    {ErrorKind::InvalidParameter, "InvalidParameterException", status::bad_request},
    {ErrorKind::InvalidS3Object, "InvalidS3ObjectException", status::bad_request},
    {ErrorKind::LimitExceeded, "LimitExceededException", status::bad_request},
    {ErrorKind::ProvisionedThroughputExceeded, "ProvisionedThroughputExceededException",
     status::bad_request},
    {ErrorKind::ResourceNotFound, "ResourceNotFoundException", status::bad_request},
    {ErrorKind::Throttling, "ThrottlingException", status::internal_server_error},
};

// Rekognition, like the other Coral JSON services, answers authentication faults 400.
constexpr ErrorShape<ProtocolErrorKind> kProtocolErrors[] = {
    {ProtocolErrorKind::Serialization, "SerializationException", status::bad_request},
    {ProtocolErrorKind::UnknownOperation, "UnknownOperationException", status::bad_request},
    {ProtocolErrorKind::MissingAuthenticationToken, "MissingAuthenticationTokenException",
     status::bad_request},
    {ProtocolErrorKind::IncompleteSignature, "IncompleteSignatureException", status::bad_request},
    {ProtocolErrorKind::UnrecognizedClient, "UnrecognizedClientException", status::bad_request},
    {ProtocolErrorKind::InvalidSignature, "InvalidSignatureException", status::bad_request},
};

template <typename Kind, std::size_t N>
ErrorShape<Kind> shape_of(const ErrorShape<Kind> (&shapes)[N], Kind kind) {
    for (const auto& shape : shapes) {
        if (shape.kind == kind) {
            return shape;
        }
    }
    return {kind, "InternalServerError", status::internal_server_error};
}

}  // namespace

std::vector<std::string_view> error_type_names() {
    std::vector<std::string_view> names;
    for (const auto& shape : kServiceErrors) {
        names.push_back(shape.type);
    }
    for (const auto& shape : kProtocolErrors) {
        names.push_back(shape.type);
    }
    return names;
}

std::string_view error_type_name(service::ErrorKind kind) {
    return shape_of(kServiceErrors, kind).type;
}

std::optional<service::ErrorKind> error_kind_named(std::string_view type) {
    for (const auto& shape : kServiceErrors) {
        if (shape.type == type) {
            return shape.kind;
        }
    }
    return std::nullopt;
}

WireError to_wire_error(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const service::ServiceError& e) {
        const auto shape = shape_of(kServiceErrors, e.kind());
        return {shape.type, shape.http_status, e.what()};
    } catch (const ProtocolError& e) {
        const auto shape = shape_of(kProtocolErrors, e.kind());
        return {shape.type, shape.http_status, e.what()};
    } catch (...) {
        // Internal details (SQLite messages, paths) stay in the log, not on the wire.
        return {"InternalServerError", status::internal_server_error,
                "Amazon Rekognition experienced a service issue. Try your call again."};
    }
}

std::string error_body(const WireError& error, std::string_view logref) {
    std::string body;
    json::JsonWriter out(body);
    out.begin_object();
    out.member("__type", error.type);
    out.member("Code", error.type);
    out.member("Logref", logref);
    out.member("Message", error.message);
    out.end_object();
    return body;
}

}  // namespace rekmock::protocol
