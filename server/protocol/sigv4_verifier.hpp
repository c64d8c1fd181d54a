#pragma once

// Opt-in request authentication (--auth sigv4): AWS Signature Version 4, checked the way AWS
// checks it: the canonical request, the credential scope, the signing key chain and a clock skew
// of at most 15 minutes. Signatures made by boto3, the AWS CLI and the JS SDK verify.

#include <chrono>
#include <map>
#include <string>

#include "http_types.hpp"

namespace rekmock::protocol {

class SigV4Verifier {
  public:
    // `secrets` maps each accepted access key id to its secret access key.
    explicit SigV4Verifier(std::map<std::string, std::string> secrets)
        : secrets_(std::move(secrets)) {}

    // Throws ProtocolError (MissingAuthenticationToken, UnrecognizedClient, InvalidSignature,
    // IncompleteSignature) unless `request` carries a valid signature made at most 15 minutes
    // from `now`.
    void verify(const net::HttpRequest& request, std::chrono::system_clock::time_point now) const;

  private:
    std::map<std::string, std::string> secrets_;
};

}  // namespace rekmock::protocol
