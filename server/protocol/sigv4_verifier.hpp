#pragma once

// Opt-in request authentication (--auth sigv4): AWS Signature Version 4, checked the way AWS
// checks it: the canonical request, the credential scope, the signing key chain and a clock skew
// of at most 15 minutes. Signatures made by boto3, the AWS CLI and the JS SDK verify.

#include <chrono>
#include <map>
#include <optional>
#include <string>

#include "http_types.hpp"
#include "sigv4_authorization.hpp"

namespace rekmock::protocol {

class SigV4Verifier {
  public:
    // `secrets` maps each accepted access key id to its secret access key; `service`, when
    // given, is the only service name a credential scope may name ("rekognition").
    explicit SigV4Verifier(std::map<std::string, std::string> secrets,
                           std::optional<std::string> service = std::nullopt)
        : secrets_(std::move(secrets)), service_(std::move(service)) {}

    // Throws ProtocolError (MissingAuthenticationToken, UnrecognizedClient, InvalidSignature,
    // IncompleteSignature) unless `request` carries a valid signature made at most 15 minutes
    // from `now`. Its Authorization header comes parsed as `authorization`: the caller's scope
    // can then come from exactly the credential that was verified.
    void verify(const net::HttpRequest& request,
                const std::optional<SigV4Authorization>& authorization,
                std::chrono::system_clock::time_point now) const;

  private:
    std::map<std::string, std::string> secrets_;
    std::optional<std::string> service_;
};

}  // namespace rekmock::protocol
