#include "s3_client.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/system/system_error.hpp>
#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>

#include "s3_connection_pool.hpp"
#include "s3_names.hpp"
#include "tls_session.hpp"
#include "whole_number.hpp"

namespace rekmock::objects {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

namespace {

// An error body larger than this is not S3's: it is read no further.
constexpr std::size_t kMaxErrorBody = 64 * 1024;
// A response given up with at most this much body left is drained to keep its connection.
constexpr std::uint64_t kMaxDrain = 64 * 1024;

// The pause before attempt `attempt` (2, 3, ...): 50 ms doubling to at most 1 s, with "equal
// jitter" so that clients throttled together do not come back together.
std::chrono::milliseconds backoff(unsigned attempt) {
    const auto ceiling =
        std::min<std::int64_t>(1000, std::int64_t{50} << std::min(attempt - 2, 5u));
    thread_local std::minstd_rand random(std::random_device{}());
    std::uniform_int_distribution<std::int64_t> jitter(0, ceiling / 2);
    return std::chrono::milliseconds(ceiling / 2 + jitter(random));
}

// Whether `error` says the server had closed the connection (rather than refused or timed out).
bool closed_by_peer(const boost::system::error_code& error) {
    namespace asio_error = boost::asio::error;
    return error == http::error::end_of_stream || error == asio_error::eof ||
           error == asio_error::connection_reset || error == asio_error::broken_pipe ||
           error == TlsError::stream_truncated;
}

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
    const std::string target = request.query.empty() ? path : path + "?" + request.query;
    const std::string payload_hash = sigv4::sha256_hex(request.body);
    std::vector<sigv4::HeaderView> signed_headers{{"Host", endpoint.host_header}};
    for (const auto& [name, value] : request.headers) {
        signed_headers.emplace_back(name, value);
    }

    const auto deadline = Clock::now() + config_.deadline;
    std::string last_failure;
    unsigned attempt = 1;
    bool out_of_time = false;
    // Sleeps the backoff before the next attempt, if there is one and the deadline allows it.
    const auto next_attempt = [&] {
        if (++attempt > config_.max_attempts) {
            return false;
        }
        const auto pause = backoff(attempt);
        // A pause that ends at the deadline leaves the attempt after it no time at all.
        if (Clock::now() + pause >= deadline) {
            out_of_time = true;
            return false;
        }
        std::this_thread::sleep_for(pause);
        return true;
    };
    for (;;) {
        const auto budget = deadline - Clock::now();
        if (budget <= Clock::duration::zero()) {
            out_of_time = true;
            break;
        }
        S3HttpRequest http_request{request.method, target, 11};
        for (const auto& [name, value] : signed_headers) {
            http_request.set(name, value);
        }
        for (const auto& [name, value] : signer_.sign(
                 {http_request.method_string(), path, request.query, signed_headers, payload_hash},
                 std::chrono::system_clock::now())) {
            http_request.set(name, value);
        }
        http_request.set(http::field::user_agent, "rekognition-mock");
        http_request.body() = {request.body.data(), request.body.size()};
        http_request.keep_alive(true);
        http_request.prepare_payload();

        S3ConnectionPool::Lease lease;
        std::unique_ptr<S3ResponseParser> parser;
        try {
            lease = pool_->acquire(budget);
            lease.connection->write(http_request);
            parser = lease.connection->read_header(request.method == http::verb::head);
        } catch (const boost::system::system_error& e) {
            last_failure = e.what();
            // A kept-alive connection the server has closed since is not an attempt of its own.
            if ((!lease.reused || !closed_by_peer(e.code())) && !next_attempt()) {
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
        if (!is_retryable(*response.error_) || !next_attempt()) {
            return response;
        }
        last_failure = "HTTP " + std::to_string(response.status()) + " " + response.error_->code;
    }
    const std::string failed =
        "S3 " + std::string(operation) + " " + request.target() + ": " + endpoint.text;
    if (out_of_time) {
        throw ObjectStoreError(ObjectErrorKind::Unavailable,
                               failed + " did not answer within the request's deadline of " +
                                   std::to_string(config_.deadline.count()) + " ms; the last of " +
                                   std::to_string(attempt - 1) +
                                   " attempt(s) failed with: " + last_failure);
    }
    throw ObjectStoreError(ObjectErrorKind::Unavailable,
                           failed + " failed " + std::to_string(config_.max_attempts) +
                               " attempts, the last with: " + last_failure);
}

}  // namespace rekmock::objects
