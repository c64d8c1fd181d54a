#pragma once

// How to reach an S3-compatible server (AWS, MinIO, moto, LocalStack), and where its values come
// from: explicit settings first, then the AWS SDKs' standard environment variables.

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

namespace rekmock::objects {

// S3's smallest part of a multipart upload but the last.
inline constexpr std::size_t kMinPartSize = std::size_t{5} << 20;

struct S3Config {
    std::string endpoint;  // "http://127.0.0.1:5000", "https://minio:9000/prefix"
    std::string region = "us-east-1";
    std::string access_key_id;
    std::string secret_access_key;
    std::optional<std::string> session_token;
    // PEM file of the CAs to trust (a test server's self-signed certificate); otherwise
    // OpenSSL's default verify paths.
    std::optional<std::string> ca_file;
    std::chrono::milliseconds connect_timeout{5'000};   // resolve, connect and TLS handshake
    std::chrono::milliseconds request_timeout{30'000};  // each write or read of a request
    // All the time one request may spend on the server: connecting, sending, awaiting the answer
    // and receiving its whole body, its attempts and the pauses between them included. The
    // caller's time between reads of a body does not count: a job reads its manifest as it
    // checks each line's image. moto_server sends a 512 MiB manifest in about 1 s on loopback.
    std::chrono::milliseconds deadline{60'000};
    unsigned max_attempts = 3;  // per request: connection errors, 5xx and throttling retry
    // Objects up to this size are one PutObject; larger ones upload in parts of this size.
    std::size_t part_size = std::size_t{8} << 20;
    std::size_t max_idle_connections = 8;  // kept open for reuse
};

// Values given explicitly (command-line flags); each wins over its environment variable.
struct S3Settings {
    std::string endpoint;
    std::optional<std::string> region;
    std::optional<std::string> access_key_id;
    std::optional<std::string> secret_access_key;
    std::optional<std::string> session_token;
    std::optional<std::string> ca_file;
    std::optional<std::chrono::milliseconds> connect_timeout;
    std::optional<std::chrono::milliseconds> request_timeout;
    std::optional<std::chrono::milliseconds> deadline;
};

// A variable's value; std::nullopt when unset or empty.
using Environment = std::function<std::optional<std::string>(const char* name)>;
// This process's environment.
std::optional<std::string> process_environment(const char* name);

// `given` (timeouts and deadline left unset keep S3Config's defaults) completed from AWS_REGION /
// AWS_DEFAULT_REGION (else us-east-1) and, when neither key nor secret is given, AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN together (a token comes from where its keys come
// from). Throws std::invalid_argument when the endpoint URL is malformed, credentials are
// incomplete or a duration is not positive.
S3Config make_s3_config(const S3Settings& given,
                        const Environment& environment = process_environment);

// Throws std::invalid_argument unless `config` can be used (endpoint URL, credentials, a part
// size of at least kMinPartSize, at least one attempt, positive timeouts and deadline).
void validate(const S3Config& config);

}  // namespace rekmock::objects
