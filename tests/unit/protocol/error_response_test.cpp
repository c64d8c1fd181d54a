#include "error_response.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "protocol_error.hpp"
#include "service_error.hpp"

using boost::beast::http::status;
using rekmock::protocol::error_body;
using rekmock::protocol::ProtocolError;
using rekmock::protocol::ProtocolErrorKind;
using rekmock::protocol::to_wire_error;
using rekmock::protocol::WireError;
using rekmock::service::ErrorKind;
using rekmock::service::ServiceError;

namespace {

template <typename E>
WireError wire_of(const E& error) {
    return to_wire_error(std::make_exception_ptr(error));
}

struct Expected {
    ErrorKind kind;
    std::string_view type;
    status http_status;
};

}  // namespace

TEST_SUITE("error_response") {
    TEST_CASE("every ServiceError kind has its documented type and status") {
        const std::vector<Expected> table{
            {ErrorKind::InvalidParameter, "InvalidParameterException", status::bad_request},
            {ErrorKind::InvalidPaginationToken, "InvalidPaginationTokenException",
             status::bad_request},
            {ErrorKind::AccessDenied, "AccessDeniedException", status::bad_request},
            {ErrorKind::ProvisionedThroughputExceeded, "ProvisionedThroughputExceededException",
             status::bad_request},
            {ErrorKind::ResourceNotFound, "ResourceNotFoundException", status::bad_request},
            {ErrorKind::IdempotentParameterMismatch, "IdempotentParameterMismatchException",
             status::bad_request},
            {ErrorKind::LimitExceeded, "LimitExceededException", status::bad_request},
            {ErrorKind::InternalServerError, "InternalServerError", status::internal_server_error},
            {ErrorKind::Throttling, "ThrottlingException", status::internal_server_error},
        };
        for (const auto& row : table) {
            CAPTURE(row.type);
            const WireError wire = wire_of(ServiceError(row.kind, "the message"));
            CHECK(wire.type == row.type);
            CHECK(wire.status == row.http_status);
            CHECK(wire.message == "the message");
        }
    }

    TEST_CASE("every ProtocolError kind is a 400 with its type") {
        const WireError serialization =
            wire_of(ProtocolError(ProtocolErrorKind::Serialization, "bad body"));
        CHECK(serialization.type == "SerializationException");
        CHECK(serialization.status == status::bad_request);
        CHECK(serialization.message == "bad body");

        const WireError unknown =
            wire_of(ProtocolError(ProtocolErrorKind::UnknownOperation, "no such operation"));
        CHECK(unknown.type == "UnknownOperationException");
        CHECK(unknown.status == status::bad_request);
        CHECK(unknown.message == "no such operation");
    }

    TEST_CASE("anything else is a generic InternalServerError that leaks nothing") {
        const std::string secret_text = "sqlite step: disk I/O error at /var/lib/secret.db";
        for (const std::exception_ptr& error :
             {std::make_exception_ptr(std::runtime_error(secret_text)),
              std::make_exception_ptr(std::logic_error(secret_text)),
              std::make_exception_ptr(std::bad_alloc()), std::make_exception_ptr(42),
              std::make_exception_ptr(std::string(secret_text))}) {
            const WireError wire = to_wire_error(error);
            CHECK(wire.type == "InternalServerError");
            CHECK(wire.status == status::internal_server_error);
            CHECK(wire.message ==
                  "Amazon Rekognition experienced a service issue. Try your call again.");
            CHECK(wire.message.find("sqlite") == std::string::npos);
            CHECK(wire.message.find("secret") == std::string::npos);
        }
    }

    TEST_CASE("the body has __type, Code, Logref and Message in that order") {
        const WireError error{"InvalidParameterException", status::bad_request,
                              "1 validation error detected: \"quoted\" \\ and \xc3\xa9"};
        const std::string body = error_body(error, "8f0e4b2a-1c3d-4e5f-9a6b-7c8d9e0f1a2b");
        const auto parsed = nlohmann::ordered_json::parse(body);
        std::vector<std::string> keys;
        for (const auto& item : parsed.items()) {
            keys.push_back(item.key());
        }
        CHECK(keys == std::vector<std::string>{"__type", "Code", "Logref", "Message"});
        CHECK(parsed["__type"] == "InvalidParameterException");
        CHECK(parsed["Code"] == "InvalidParameterException");
        CHECK(parsed["Logref"] == "8f0e4b2a-1c3d-4e5f-9a6b-7c8d9e0f1a2b");
        CHECK(parsed["Message"] == error.message);
    }

    TEST_CASE("a message with invalid UTF-8 still yields a valid JSON body") {
        const WireError error{"InvalidParameterException", status::bad_request,
                              "Value 'caf\xc3' at 'JobId'"};
        const std::string body = error_body(error, "id");
        CHECK(nlohmann::json::parse(body).is_object());
        CHECK(nlohmann::json::parse(body)["Message"].get<std::string>().starts_with("Value 'caf"));
    }

    TEST_CASE("error_type_name and error_kind_named round-trip every ErrorKind") {
        const std::vector<Expected> table{
            {ErrorKind::AccessDenied, "AccessDeniedException", status::bad_request},
            {ErrorKind::IdempotentParameterMismatch, "IdempotentParameterMismatchException",
             status::bad_request},
            {ErrorKind::InternalServerError, "InternalServerError", status::internal_server_error},
            {ErrorKind::InvalidPaginationToken, "InvalidPaginationTokenException",
             status::bad_request},
            {ErrorKind::InvalidParameter, "InvalidParameterException", status::bad_request},
            {ErrorKind::LimitExceeded, "LimitExceededException", status::bad_request},
            {ErrorKind::ProvisionedThroughputExceeded, "ProvisionedThroughputExceededException",
             status::bad_request},
            {ErrorKind::ResourceNotFound, "ResourceNotFoundException", status::bad_request},
            {ErrorKind::Throttling, "ThrottlingException", status::internal_server_error},
        };
        for (const auto& row : table) {
            CAPTURE(row.type);
            CHECK(rekmock::protocol::error_type_name(row.kind) == row.type);
            CHECK(rekmock::protocol::error_kind_named(row.type) == row.kind);
            CHECK(rekmock::protocol::error_kind_named(
                      rekmock::protocol::error_type_name(row.kind)) == row.kind);
            // The name is the one the wire carries.
            CHECK(wire_of(ServiceError(row.kind, "m")).type ==
                  rekmock::protocol::error_type_name(row.kind));
        }
    }

    TEST_CASE("error_type_names lists every type the mock answers with, once") {
        const auto names = rekmock::protocol::error_type_names();
        const auto listed = [&names](std::string_view type) {
            return std::count(names.begin(), names.end(), type);
        };
        for (const auto kind : {ErrorKind::AccessDenied, ErrorKind::IdempotentParameterMismatch,
                                ErrorKind::InternalServerError, ErrorKind::InvalidManifest,
                                ErrorKind::InvalidPaginationToken, ErrorKind::InvalidParameter,
                                ErrorKind::InvalidS3Object, ErrorKind::LimitExceeded,
                                ErrorKind::ProvisionedThroughputExceeded,
                                ErrorKind::ResourceNotFound, ErrorKind::Throttling}) {
            CHECK(listed(wire_of(ServiceError(kind, "m")).type) == 1);
        }
        for (const auto kind :
             {ProtocolErrorKind::Serialization, ProtocolErrorKind::UnknownOperation,
              ProtocolErrorKind::MissingAuthenticationToken, ProtocolErrorKind::IncompleteSignature,
              ProtocolErrorKind::UnrecognizedClient, ProtocolErrorKind::InvalidSignature}) {
            CHECK(listed(wire_of(ProtocolError(kind, "m")).type) == 1);
        }
        CHECK(names.size() == 17);
        CHECK(listed("ValidationException") == 0);
    }

    TEST_CASE("error_kind_named is nullopt for any other name") {
        for (const std::string_view name :
             {"", "Throttling", "throttlingexception", "THROTTLINGEXCEPTION",
              "ThrottlingException ", " ThrottlingException", "SerializationException",
              "UnknownOperationException", "InternalServerErrorException", "AccessDenied"}) {
            CAPTURE(name);
            CHECK_FALSE(rekmock::protocol::error_kind_named(name).has_value());
        }
    }
}
