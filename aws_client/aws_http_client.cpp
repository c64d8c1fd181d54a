#include "aws_http_client.hpp"

#include <strings.h>

#include <array>
#include <boost/system/system_error.hpp>

#include "retry_policy.hpp"
#include "s3_connection_pool.hpp"
#include "signed_request.hpp"

namespace rekmock::aws {
namespace {

namespace http = boost::beast::http;
using objects::S3Connection;

// Idle connections kept: the commands call one endpoint from one thread.
constexpr std::size_t kMaxIdle = 2;

// The whole body of the answer `parser` has the header of; AwsUnavailable past kMaxAnswerBytes.
std::string read_body(S3Connection& connection, objects::S3ResponseParser& parser,
                      const std::string& what) {
    std::string body;
    std::array<char, 16384> chunk{};
    while (const std::size_t got = connection.read_body(parser, chunk.data(), chunk.size())) {
        if (body.size() + got > kMaxAnswerBytes) {
            throw AwsUnavailable(what + " answered more than " + std::to_string(kMaxAnswerBytes) +
                                 " bytes");
        }
        body.append(chunk.data(), got);
    }
    return body;
}

}  // namespace

std::string AwsResponse::header(std::string_view name) const {
    for (const auto& [field, value] : headers) {
        if (field.size() == name.size() &&
            ::strncasecmp(field.data(), name.data(), name.size()) == 0) {
            return value;
        }
    }
    return {};
}

AwsHttpClient::AwsHttpClient(AwsEndpointConfig config)
    : config_(std::move(config)),
      signer_(config_.credentials, config_.region, config_.service),
      pool_(std::make_shared<objects::S3ConnectionPool>(
          objects::parse_endpoint_url(config_.endpoint), config_.ca_file,
          objects::S3Timeouts{config_.connect_timeout, config_.request_timeout}, kMaxIdle)) {}

AwsHttpClient::~AwsHttpClient() = default;

AwsResponse AwsHttpClient::post(const AwsRequest& request,
                                const std::function<bool(const AwsResponse&)>& retryable) const {
    const objects::EndpointUrl& endpoint = pool_->endpoint();
    const std::string what = std::string(request.operation) + " at " + endpoint.text;
    const std::string path = endpoint.path_prefix + "/";
    const std::string payload_hash = sigv4::sha256_hex(request.body);
    std::vector<sigv4::HeaderView> signed_headers{{"Host", endpoint.host_header}};
    for (const auto& [name, value] : request.headers) {
        signed_headers.emplace_back(name, value);
    }

    objects::RetryAttempts attempts(config_.max_attempts, config_.deadline);
    std::string last_failure;
    for (;;) {
        const auto budget = attempts.remaining();
        if (budget <= S3Connection::Clock::duration::zero()) {
            attempts.run_out_of_time();
            break;
        }
        objects::S3HttpRequest http_request = objects::signed_request(
            signer_, http::verb::post, path, "", signed_headers, payload_hash, request.body);

        objects::S3ConnectionPool::Lease lease;
        AwsResponse response;
        try {
            lease = pool_->acquire(budget);
            lease.connection->write(http_request);
            const auto parser = lease.connection->read_header(false);
            response.status = parser->get().result_int();
            for (const auto& field : parser->get()) {
                response.headers.emplace_back(std::string(field.name_string()),
                                              std::string(field.value()));
            }
            response.body = read_body(*lease.connection, *parser, what);
        } catch (const boost::system::system_error& e) {
            last_failure = e.what();
            if ((!lease.reused || !objects::closed_while_idle(e.code())) && !attempts.next()) {
                break;
            }
            continue;
        }
        pool_->release(std::move(lease.connection));
        response.attempts = attempts.attempt();
        const bool success = response.succeeded();
        if (success || !retryable(response) || !attempts.next()) {
            return response;
        }
        last_failure = "HTTP " + std::to_string(response.status);
    }
    if (attempts.out_of_time()) {
        throw AwsUnavailable(what + " did not answer within the request's deadline of " +
                             std::to_string(config_.deadline.count()) + " ms; the last of " +
                             std::to_string(attempts.attempt() - 1) +
                             " attempt(s) failed with: " + last_failure);
    }
    throw AwsUnavailable(what + " failed " + std::to_string(config_.max_attempts) +
                         " attempts, the last with: " + last_failure);
}

}  // namespace rekmock::aws
