#include "aws_json_router.hpp"

#include <chrono>
#include <cmath>
#include <string>

#include "caller_scope.hpp"
#include "clock.hpp"
#include "error_response.hpp"
#include "operations.hpp"
#include "protocol_error.hpp"
#include "request_id.hpp"
#include "request_members.hpp"

namespace rekmock::protocol {
namespace {

namespace http = boost::beast::http;

constexpr std::string_view kTargetPrefix = "RekognitionService.";
constexpr std::string_view kContentType = "application/x-amz-json-1.1";

net::HttpResponse make_response(http::status status, unsigned version, bool keep_alive,
                                const std::string& request_id, std::string body) {
    net::HttpResponse response{status, version};
    response.set(http::field::content_type, kContentType);
    response.set("x-amzn-RequestId", request_id);
    response.keep_alive(keep_alive);
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

net::HttpResponse make_error_response(const WireError& error, unsigned version, bool keep_alive,
                                      const std::string& request_id) {
    auto response = make_response(error.status, version, keep_alive, request_id,
                                  error_body(error, new_request_id()));
    response.set("x-amzn-ErrorType", error.type);
    return response;
}

// The message an injected error carries: the one AWS sends for that error where there is a
// well-known one.
std::string injected_fault_message(service::ErrorKind kind) {
    switch (kind) {
        case service::ErrorKind::Throttling:
            return "Rate exceeded";
        case service::ErrorKind::ProvisionedThroughputExceeded:
            return "Provisioned rate exceeded";
        case service::ErrorKind::AccessDenied:
            return "You are not authorized to perform this operation.";
        case service::ErrorKind::InternalServerError:
            return "Amazon Rekognition experienced a service issue. Try your call again.";
        default:
            return "Injected fault";
    }
}

// The text of the exception in flight, for the log.
std::string describe_exception() {
    try {
        throw;
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

// The operation that X-Amz-Target names, or "" when the header is missing or not
// RekognitionService.<Operation>.
std::string operation_of(const net::HttpRequest& request) {
    const std::string_view target = request["X-Amz-Target"];
    if (!target.starts_with(kTargetPrefix)) {
        return {};
    }
    return std::string(target.substr(kTargetPrefix.size()));
}

// What a request that no operation took asked for, for the journal.
UnroutableRequest unroutable_request(const net::HttpRequest& request) {
    return UnroutableRequest{std::string(request.method_string()), std::string(request.target()),
                             std::string(request["X-Amz-Target"])};
}

std::string unknown_operation_message(const net::HttpRequest& request,
                                      const std::string& operation) {
    if (request.method() != http::verb::post) {
        return "The AWS JSON protocol takes POST requests only, not " +
               std::string(request.method_string());
    }
    const std::string_view target = request["X-Amz-Target"];
    if (target.empty()) {
        return "Missing X-Amz-Target header; expected RekognitionService.<Operation>";
    }
    if (operation.empty()) {
        return "Unknown target '" + std::string(target) +
               "'; expected RekognitionService.<Operation>";
    }
    return "Operation '" + operation + "' is not supported by rekognition-mock";
}

}  // namespace

AwsJsonRouter::Outcome AwsJsonRouter::respond(
    const net::HttpRequest& request, const std::optional<SigV4Authorization>& authorization,
    const Exchange& exchange) {
    std::chrono::milliseconds delay{0};
    Json body;
    try {
        // As in AWS, an unauthenticated caller learns nothing else, not even unknown operations.
        if (hooks_.auth != nullptr) {
            hooks_.auth->verify(request, authorization, std::chrono::system_clock::now());
        }
        if (exchange.fn == nullptr) {
            throw ProtocolError(ProtocolErrorKind::UnknownOperation,
                                unknown_operation_message(request, exchange.operation));
        }
        // Like AWS's throttling (a quota first, then the faults a test injects), before the
        // request is even validated.
        if (hooks_.quotas != nullptr &&
            !hooks_.quotas->admit(exchange.caller, exchange.operation)) {
            throw service::ServiceError(
                service::ErrorKind::ProvisionedThroughputExceeded,
                injected_fault_message(service::ErrorKind::ProvisionedThroughputExceeded));
        }
        if (hooks_.faults != nullptr) {
            if (const auto fault = hooks_.faults->decide(exchange.operation)) {
                delay = fault->latency;
                if (fault->error) {
                    throw service::ServiceError(*fault->error,
                                                injected_fault_message(*fault->error));
                }
            }
        }
        body = parse_json_object(request.body());
    } catch (...) {
        return failure(request, exchange, delay, std::nullopt);
    }
    return run(request, exchange, std::move(body), delay);
}

AwsJsonRouter::Outcome AwsJsonRouter::run(const net::HttpRequest& request, const Exchange& exchange,
                                          Json body, std::chrono::milliseconds delay) {
    try {
        OperationContext context{service_, hooks_.answers};
        auto response =
            make_response(http::status::ok, request.version(), request.keep_alive(),
                          exchange.request_id, exchange.fn(context, body, exchange.caller));
        return {std::move(response), {}, delay, std::move(body), std::nullopt};
    } catch (const service::WouldBlock& pending) {
        return {{}, {}, delay, std::move(body), pending};
    } catch (...) {
        return failure(request, exchange, delay, std::move(body));
    }
}

AwsJsonRouter::Outcome AwsJsonRouter::failure(const net::HttpRequest& request,
                                              const Exchange& exchange,
                                              std::chrono::milliseconds delay,
                                              std::optional<Json> body) {
    const WireError error = to_wire_error(std::current_exception());
    if (error.status == http::status::internal_server_error) {
        log_.log(logging::LogLevel::Error, "request failed",
                 {{"request_id", exchange.request_id}, {"error", describe_exception()}});
    }
    return {
        make_error_response(error, request.version(), request.keep_alive(), exchange.request_id),
        error.type, delay, std::move(body), std::nullopt};
}

net::HandlerResult AwsJsonRouter::serve(const net::HttpRequest& request) noexcept {
    try {
        Exchange exchange;
        exchange.started = std::chrono::steady_clock::now();
        exchange.request_id = new_request_id();
        exchange.operation = operation_of(request);
        // AWS JSON 1.1 is POST only; any other method names no operation.
        exchange.fn =
            request.method() == http::verb::post ? find_operation(exchange.operation) : nullptr;
        // Parsed once: the signature check and the caller's scope read the same credential.
        const auto authorization = parse_sigv4_authorization(request[http::field::authorization]);
        exchange.caller = caller_scope(authorization, defaults_);
        Outcome outcome = respond(request, authorization, exchange);
        if (!outcome.pending) {
            return finish(request, exchange, std::move(outcome));
        }
        // Served again, from the operation on, on a worker thread: the checks before it (the
        // signature, an injected fault) are not repeated, and the request is recorded once.
        auto body = std::make_shared<const Json>(std::move(*outcome.body));
        const auto delay = outcome.delay;
        return {{},
                {},
                [this, &request, exchange, body, delay,
                 pending = *outcome.pending](net::Deliver deliver) {
                    service::resume_until_done(
                        pending,
                        [this, &request, exchange, body, delay] {
                            Outcome again = run(request, exchange, *body, delay);
                            if (again.pending) {
                                throw *again.pending;
                            }
                            return again;
                        },
                        [this, &request, exchange, deliver](Outcome&& done) {
                            deliver(finish(request, exchange, std::move(done)));
                        });
                }};
    } catch (...) {
        // Only allocation failure gets here; answer with a bare 500 rather than drop the line.
        net::HttpResponse fallback{http::status::internal_server_error, request.version()};
        fallback.keep_alive(false);
        fallback.prepare_payload();
        return {std::move(fallback), {}, {}};
    }
}

net::HandlerResult AwsJsonRouter::finish(const net::HttpRequest& request, const Exchange& exchange,
                                         Outcome&& outcome) {
    if (hooks_.usage != nullptr && exchange.fn != nullptr) {
        hooks_.usage->count_call(exchange.caller, exchange.operation,
                                 outcome.response.result_int() >= 400);
    }
    if (hooks_.journal != nullptr) {
        RequestRecord entry;
        entry.time = service::system_clock().now();
        entry.request_id = exchange.request_id;
        entry.operation = exchange.fn != nullptr ? exchange.operation : std::string();
        entry.caller = exchange.caller;
        entry.status = outcome.response.result_int();
        entry.error_type = outcome.error_type;
        if (exchange.fn != nullptr) {
            // The body the operation read, not parsed twice; read here when it never was.
            entry.noted = outcome.body ? noted_members_of_object(exchange.operation, *outcome.body)
                                       : noted_members(exchange.operation, request.body());
        } else {
            entry.unroutable = unroutable_request(request);
        }
        // What the client waited: the work, then the injected latency the answer is held.
        entry.latency = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::steady_clock::now() - exchange.started) +
                        outcome.delay;
        entry.request_body = KeptBody::of(request.body());
        entry.response_body = KeptBody::of(outcome.response.body());
        hooks_.journal->record(std::move(entry));
    }
    if (log_.enabled(logging::LogLevel::Info)) {
        const std::chrono::duration<double, std::milli> latency =
            std::chrono::steady_clock::now() - exchange.started;
        nlohmann::ordered_json fields{{"request_id", exchange.request_id},
                                      {"operation", exchange.operation},
                                      {"status", outcome.response.result_int()}};
        if (!outcome.error_type.empty()) {
            fields["error_type"] = outcome.error_type;
        }
        fields["latency_ms"] = std::round(latency.count() * 1000.0) / 1000.0;
        log_.log(logging::LogLevel::Info, "request", fields);
    }
    return {std::move(outcome.response), outcome.delay, {}};
}

net::HttpResponse AwsJsonRouter::reject(http::status status, std::string_view reason,
                                        unsigned http_version,
                                        const net::HttpRequest* header) noexcept {
    try {
        const std::string request_id = new_request_id();
        const WireError error{"SerializationException", status, std::string(reason)};
        log_.log(logging::LogLevel::Info, "request rejected",
                 {{"request_id", request_id},
                  {"status", static_cast<unsigned>(status)},
                  {"error_type", error.type},
                  {"reason", reason}});
        if (hooks_.journal != nullptr) {
            // Never routed, whatever its header named: what was read of it, in the scope it
            // claims (the defaults when no header was read).
            const Scope caller =
                header != nullptr
                    ? caller_scope(parse_sigv4_authorization((*header)[http::field::authorization]),
                                   defaults_)
                    : defaults_;
            auto response = make_error_response(error, http_version, false, request_id);
            RequestRecord entry;
            entry.time = service::system_clock().now();
            entry.request_id = request_id;
            entry.caller = caller;
            entry.status = static_cast<unsigned>(status);
            entry.error_type = error.type;
            entry.unroutable =
                header != nullptr ? unroutable_request(*header) : UnroutableRequest{};
            // Its body was not read (or not whole): only the answer is known.
            entry.response_body = KeptBody::of(response.body());
            hooks_.journal->record(std::move(entry));
            return response;
        }
        return make_error_response(error, http_version, false, request_id);
    } catch (...) {
        net::HttpResponse fallback{status, http_version};
        fallback.keep_alive(false);
        fallback.prepare_payload();
        return fallback;
    }
}

}  // namespace rekmock::protocol
