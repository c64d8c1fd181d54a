#include "s3_client.hpp"

#include <algorithm>
#include <array>
#include <boost/system/system_error.hpp>
#include <chrono>
#include <stdexcept>

#include "retry_policy.hpp"
#include "s3_connection_pool.hpp"
#include "s3_names.hpp"
#include "signed_request.hpp"
#include "whole_number.hpp"

namespace rekmock::objects {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

// An error body larger than this is not S3's: it is read no further.
constexpr std::size_t kMaxErrorBody = 64 * 1024;
// A response given up with at most this much body left is drained to keep its connection.
constexpr std::uint64_t kMaxDrain = 64 * 1024;

S3Timeouts timeouts_of(const S3Config& config) {
    return {config.connect_timeout, config.request_timeout};
}

}  // namespace

std::string S3Request::target() const {
    return "s3://" + bucket + (key.empty() ? "" : "/" + key);
}

S3Response::S3Response(std::shared_ptr<S3ConnectionPool> pool,
                       std::unique_ptr<S3Connection> connection,
                       std::unique_ptr<S3ResponseParser> parser)
    : pool_(std::move(pool)), connection_(std::move(connection)), parser_(std::move(parser)) {}

S3Response::S3Response(S3Response&&) noexcept = default;

S3Response::~S3Response() {
    if (!connection_) {
        return;
    }
    try {
        // From the header, not the parser's content_length_remaining(): GCC 12 sees its
        // boost::optional as maybe uninitialized in sanitizer builds.
        const auto size = whole_number<std::uint64_t>(header("Content-Length"));
        const bool small_rest = size && *size - std::min(*size, body_read_) <= kMaxDrain;
        if (parser_->is_done() || small_rest) {
            std::array<char, 8192> scratch{};
            while (read(scratch.data(), scratch.size()) > 0) {
            }
        }
    } catch (...) {  // NOLINT(bugprone-empty-catch): a connection that fails draining is dropped
    }
}

unsigned S3Response::status() const {
    return parser_->get().result_int();
}

std::string_view S3Response::header(std::string_view name) const {
    return parser_->get()[name];
}

std::size_t S3Response::read(char* out, std::size_t capacity) {
    if (!connection_) {
        return 0;
    }
    try {
        const std::size_t read = connection_->read_body(*parser_, out, capacity);
        body_read_ += read;
        if (read == 0) {
            pool_->release(std::move(connection_));
        }
        return read;
    } catch (...) {
        connection_.reset();
        throw;
    }
}

std::string S3Response::read_all(std::size_t limit) {
    std::string body;
    std::array<char, 8192> chunk{};
    for (std::size_t n = read(chunk.data(), chunk.size()); n > 0;
         n = read(chunk.data(), chunk.size())) {
        if (body.size() + n > limit) {
            connection_.reset();
            throw std::length_error("an S3 response body is larger than " + std::to_string(limit) +
                                    " bytes");
        }
        body.append(chunk.data(), n);
    }
    return body;
}

S3Client::S3Client(const S3Config& config)
    : config_((validate(config), config)),
      signer_({config.access_key_id, config.secret_access_key, config.session_token}, config.region,
              "s3", sigv4::kS3Rules),
      pool_(std::make_shared<S3ConnectionPool>(parse_endpoint_url(config.endpoint), config.ca_file,
                                               timeouts_of(config), config.max_idle_connections)) {}

S3Response S3Client::send(const S3Request& request, std::string_view operation) const {
    const EndpointUrl& endpoint = pool_->endpoint();
    if (const auto problem = bucket_name_problem(request.bucket)) {
        throw ObjectStoreError(ObjectErrorKind::InvalidRequest,
                               "S3 " + std::string(operation) + " " + request.target() +
                                   ": no S3 bucket can be named '" + request.bucket +
                                   "': " + *problem);
    }
    std::string path = endpoint.path_prefix + "/" + request.bucket;
    if (!request.key.empty()) {
        path += "/" + key_path(request.key);
    }
    const std::string payload_hash = sigv4::sha256_hex(request.body);
    std::vector<sigv4::HeaderView> signed_headers{{"Host", endpoint.host_header}};
    for (const auto& [name, value] : request.headers) {
        signed_headers.emplace_back(name, value);
    }

    RetryAttempts attempts(config_.max_attempts, config_.deadline);
    std::string last_failure;
    for (;;) {
        const auto budget = attempts.remaining();
        if (budget <= Clock::duration::zero()) {
            attempts.run_out_of_time();
            break;
        }
        S3HttpRequest http_request = signed_request(signer_, request.method, path, request.query,
                                                    signed_headers, payload_hash, request.body);

        S3ConnectionPool::Lease lease;
        std::unique_ptr<S3ResponseParser> parser;
        try {
            lease = pool_->acquire(budget);
            lease.connection->write(http_request);
            parser = lease.connection->read_header(request.method == http::verb::head);
        } catch (const boost::system::system_error& e) {
            last_failure = e.what();
            // A kept-alive connection the server has closed since is not an attempt of its own.
            if ((!lease.reused || !closed_while_idle(e.code())) && !attempts.next()) {
                break;
            }
            continue;
        }

        S3Response response(pool_, std::move(lease.connection), std::move(parser));
        // Only a 2xx did what was asked: a 3xx (S3 redirects to a bucket's region) did not.
        if (response.status() >= 200 && response.status() < 300) {
            return response;
        }
        try {
            response.error_ = parse_s3_error(response.status(), response.read_all(kMaxErrorBody));
        } catch (const std::exception&) {
            response.error_ = parse_s3_error(response.status(), "");
        }
        if (!is_retryable(*response.error_) || !attempts.next()) {
            return response;
        }
        last_failure = "HTTP " + std::to_string(response.status()) + " " + response.error_->code;
    }
    const std::string failed =
        "S3 " + std::string(operation) + " " + request.target() + ": " + endpoint.text;
    if (attempts.out_of_time()) {
        throw ObjectStoreError(ObjectErrorKind::Unavailable,
                               failed + " did not answer within the request's deadline of " +
                                   std::to_string(config_.deadline.count()) + " ms; the last of " +
                                   std::to_string(attempts.attempt() - 1) +
                                   " attempt(s) failed with: " + last_failure);
    }
    throw ObjectStoreError(ObjectErrorKind::Unavailable,
                           failed + " failed " + std::to_string(config_.max_attempts) +
                               " attempts, the last with: " + last_failure);
}

}  // namespace rekmock::objects
