#include "s3_config.hpp"

#include <cstdlib>
#include <stdexcept>

#include "endpoint_url.hpp"

namespace rekmock::objects {

std::optional<std::string> process_environment(const char* name) {
    const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read at start-up
    if (value == nullptr || *value == '\0') {
        return std::nullopt;
    }
    return std::string(value);
}

S3Config make_s3_config(const S3Settings& given, const Environment& environment) {
    parse_endpoint_url(given.endpoint);  // a bad URL is the first thing to say
    S3Config config;
    config.endpoint = given.endpoint;
    config.ca_file = given.ca_file;
    config.connect_timeout = given.connect_timeout.value_or(config.connect_timeout);
    config.request_timeout = given.request_timeout.value_or(config.request_timeout);
    config.deadline = given.deadline.value_or(config.deadline);
    std::optional<std::string> region = given.region;
    for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
        region = region ? region : environment(name);
    }
    if (region) {
        config.region = *region;
    }
    if (given.access_key_id || given.secret_access_key) {
        if (!given.access_key_id || !given.secret_access_key) {
            throw std::invalid_argument(
                "S3 credentials need both an access key id and a secret access key");
        }
        config.access_key_id = *given.access_key_id;
        config.secret_access_key = *given.secret_access_key;
        config.session_token = given.session_token;
    } else {
        if (given.session_token) {
            throw std::invalid_argument(
                "an S3 session token needs the access key id and secret it was issued with");
        }
        const auto key = environment("AWS_ACCESS_KEY_ID");
        const auto secret = environment("AWS_SECRET_ACCESS_KEY");
        if (!key || !secret) {
            throw std::invalid_argument(
                "no S3 credentials: give an access key id and a secret access key, or set "
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }
        config.access_key_id = *key;
        config.secret_access_key = *secret;
        config.session_token = environment("AWS_SESSION_TOKEN");
    }
    validate(config);
    return config;
}

void validate(const S3Config& config) {
    parse_endpoint_url(config.endpoint);
    if (config.region.empty()) {
        throw std::invalid_argument("the S3 region must not be empty");
    }
    if (config.access_key_id.empty() || config.secret_access_key.empty()) {
        throw std::invalid_argument("the S3 access key id and secret must not be empty");
    }
    if (config.part_size < kMinPartSize) {
        throw std::invalid_argument("the S3 part size must be at least 5 MiB (S3's minimum)");
    }
    if (config.max_attempts == 0) {
        throw std::invalid_argument("S3 requests need at least one attempt");
    }
    if (config.connect_timeout.count() <= 0 || config.request_timeout.count() <= 0 ||
        config.deadline.count() <= 0) {
        throw std::invalid_argument("S3 timeouts and the S3 deadline must be positive");
    }
}

}  // namespace rekmock::objects
