#pragma once

// The S3 client settings the unit tests give a server of their own on loopback: its endpoint,
// fixed example keys, and one attempt, so a scripted failure is seen as it is, not retried.

#include <string>
#include <utility>

#include "s3_config.hpp"

namespace rekmock::testing {

inline objects::S3Config loopback_s3_config(std::string endpoint) {
    objects::S3Config config;
    config.endpoint = std::move(endpoint);
    config.access_key_id = "AKIAEXAMPLEKEY";
    config.secret_access_key = "example-secret";
    config.max_attempts = 1;
    return config;
}

}  // namespace rekmock::testing
