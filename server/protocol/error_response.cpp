#include "error_response.hpp"

#include "json_writer.hpp"
#include "protocol_error.hpp"
#include "service_error.hpp"

namespace rekmock::protocol {
namespace {

using boost::beast::http::status;
using service::ErrorKind;

struct ErrorShape {
    std::string_view type;
    status http_status;
};

// Statuses from the Rekognition API reference: client faults 400, server faults 500.
ErrorShape shape_of(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::AccessDenied:
            return {"AccessDeniedException", status::bad_request};
        case ErrorKind::IdempotentParameterMismatch:
            return {"IdempotentParameterMismatchException", status::bad_request};
        case ErrorKind::InternalServerError:
            return {"InternalServerError", status::internal_server_error};
        case ErrorKind::InvalidManifest:
            return {"InvalidManifestException", status::bad_request};
        case ErrorKind::InvalidPaginationToken:
            return {"InvalidPaginationTokenException", status::bad_request};
        case ErrorKind::InvalidParameter:
            return {"InvalidParameterException", status::bad_request};
        case ErrorKind::InvalidS3Object:
            return {"InvalidS3ObjectException", status::bad_request};
        case ErrorKind::LimitExceeded:
            return {"LimitExceededException", status::bad_request};
        case ErrorKind::ProvisionedThroughputExceeded:
            return {"ProvisionedThroughputExceededException", status::bad_request};
        case ErrorKind::ResourceNotFound:
            return {"ResourceNotFoundException", status::bad_request};
        case ErrorKind::Throttling:
            return {"ThrottlingException", status::internal_server_error};
    }
    return {"InternalServerError", status::internal_server_error};
}

ErrorShape shape_of(ProtocolErrorKind kind) {
    switch (kind) {
        case ProtocolErrorKind::Serialization:
            return {"SerializationException", status::bad_request};
        case ProtocolErrorKind::UnknownOperation:
            return {"UnknownOperationException", status::bad_request};
        // Rekognition, like the other Coral JSON services, answers authentication faults 400.
        case ProtocolErrorKind::MissingAuthenticationToken:
            return {"MissingAuthenticationTokenException", status::bad_request};
        case ProtocolErrorKind::IncompleteSignature:
            return {"IncompleteSignatureException", status::bad_request};
        case ProtocolErrorKind::UnrecognizedClient:
            return {"UnrecognizedClientException", status::bad_request};
        case ProtocolErrorKind::InvalidSignature:
            return {"InvalidSignatureException", status::bad_request};
    }
    return {"InternalServerError", status::internal_server_error};
}

constexpr service::ErrorKind kAllKinds[] = {
    ErrorKind::AccessDenied,
    ErrorKind::IdempotentParameterMismatch,
    ErrorKind::InternalServerError,
    ErrorKind::InvalidManifest,
    ErrorKind::InvalidPaginationToken,
    ErrorKind::InvalidParameter,
    ErrorKind::InvalidS3Object,
    ErrorKind::LimitExceeded,
    ErrorKind::ProvisionedThroughputExceeded,
    ErrorKind::ResourceNotFound,
    ErrorKind::Throttling,
};

constexpr ProtocolErrorKind kAllProtocolKinds[] = {
    ProtocolErrorKind::Serialization,
    ProtocolErrorKind::UnknownOperation,
    ProtocolErrorKind::MissingAuthenticationToken,
    ProtocolErrorKind::IncompleteSignature,
    ProtocolErrorKind::UnrecognizedClient,
    ProtocolErrorKind::InvalidSignature,
};

}  // namespace

std::vector<std::string_view> error_type_names() {
    std::vector<std::string_view> names;
    for (const auto kind : kAllKinds) {
        names.push_back(shape_of(kind).type);
    }
    for (const auto kind : kAllProtocolKinds) {
        names.push_back(shape_of(kind).type);
    }
    return names;
}

std::string_view error_type_name(service::ErrorKind kind) {
    return shape_of(kind).type;
}

std::optional<service::ErrorKind> error_kind_named(std::string_view type) {
    for (const auto kind : kAllKinds) {
        if (shape_of(kind).type == type) {
            return kind;
        }
    }
    return std::nullopt;
}

WireError to_wire_error(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const service::ServiceError& e) {
        const ErrorShape shape = shape_of(e.kind());
        return {shape.type, shape.http_status, e.what()};
    } catch (const ProtocolError& e) {
        const ErrorShape shape = shape_of(e.kind());
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
