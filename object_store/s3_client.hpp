#pragma once

// Signed, path-style S3 requests with bounded retries: the one way the S3 store reaches its
// server. Every request is signed with SigV4 (service "s3") over its payload's SHA-256; a
// response's body streams from the connection, which returns to the pool once the body is read.

#include <boost/beast/http/verb.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "s3_config.hpp"
#include "s3_connection.hpp"
#include "s3_error.hpp"
#include "sigv4_signing.hpp"

namespace rekmock::objects {

class S3ConnectionPool;

struct S3Request {
    boost::beast::http::verb method = boost::beast::http::verb::get;
    std::string bucket;
    std::string key;    // "" for a request on the bucket itself; sent with its dot segments escaped
    std::string query;  // encoded as it is sent, without '?': "uploadId=a%2Bb&partNumber=2"
    std::vector<std::pair<std::string, std::string>> headers;  // each signed: Range, x-amz-...
    std::string_view body;                                     // borrowed until send() returns

    // "s3://bucket/key", for messages.
    std::string target() const;
};

// A response whose status line and header have arrived. Not thread-safe.
class S3Response {
  public:
    S3Response(S3Response&&) noexcept;
    S3Response& operator=(S3Response&&) = delete;
    // Gives the connection back when the body was read to its end (draining a few KiB if not),
    // closes it otherwise.
    ~S3Response();

    unsigned status() const;
    // A header field's value; "" when absent.
    std::string_view header(std::string_view name) const;
    // A status other than 2xx with its body's S3 error read; std::nullopt for a success (2xx).
    const std::optional<S3ErrorReply>& error() const noexcept { return error_; }

    // Copies up to `capacity` next body bytes into `out`; 0 at the end of the body. Throws
    // boost::system::system_error when the connection fails.
    std::size_t read(char* out, std::size_t capacity);
    // The rest of the body (an XML result); throws std::length_error past `limit` bytes and
    // boost::system::system_error when the connection fails.
    std::string read_all(std::size_t limit);

  private:
    friend class S3Client;
    S3Response(std::shared_ptr<S3ConnectionPool> pool, std::unique_ptr<S3Connection> connection,
               std::unique_ptr<S3ResponseParser> parser);

    std::shared_ptr<S3ConnectionPool> pool_;
    std::unique_ptr<S3Connection> connection_;  // null once the body is read or the link broke
    std::unique_ptr<S3ResponseParser> parser_;
    std::uint64_t body_read_ = 0;
    std::optional<S3ErrorReply> error_;
};

class S3Client {
  public:
    // Throws std::invalid_argument when `config` is unusable (see validate()); no I/O yet.
    explicit S3Client(const S3Config& config);

    // Sends `request` (for `operation`, "GetObject", named in messages) and reads the final
    // response's header (interim 1xx answers skipped). Connection errors, timeouts, 5xx, 429 and
    // throttling answers are sent again, up to max_attempts with a short growing backoff. Throws
    // ObjectStoreError (Unavailable) when the server cannot be reached or answers no HTTP a
    // request can end with (a 101), and (InvalidRequest) before sending anything for a bucket
    // name no S3 server can hold; any other status but 2xx comes back with error() set.
    S3Response send(const S3Request& request, std::string_view operation) const;

    const S3Config& config() const noexcept { return config_; }

  private:
    S3Config config_;
    sigv4::Signer signer_;
    std::shared_ptr<S3ConnectionPool> pool_;
};

}  // namespace rekmock::objects
