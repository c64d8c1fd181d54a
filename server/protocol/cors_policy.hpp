#pragma once

// Cross-origin access to the AWS API for the JavaScript SDK running in a browser (--cors-origin):
// preflights from a listed origin are answered, and that origin's answers carry the headers that
// let the page read them. Off unless origins are listed; the control plane never takes part
// (origin_guard.hpp keeps it same-origin). Origins not listed are answered as without the flag,
// so the browser refuses them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http_types.hpp"

namespace rekmock::protocol {

// The request headers a preflight allows: what the SDK v3 sends (its signer and middleware).
inline constexpr std::string_view kCorsAllowedHeaders =
    "amz-sdk-invocation-id, amz-sdk-request, authorization, content-type, x-amz-content-sha256, "
    "x-amz-date, x-amz-security-token, x-amz-target, x-amz-user-agent";
// The answer's headers a page may read besides the safelisted ones: the request id, the error
// type, and Date, from which the SDK corrects a skewed clock.
inline constexpr std::string_view kCorsExposedHeaders = "date, x-amzn-errortype, x-amzn-requestid";

class CorsPolicy {
  public:
    // `origins`: serialized origins ("http://localhost:5173") or "*" for any; none turns it off.
    explicit CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {}

    // Whether `origin` is a serialized origin (scheme "://" host, an optional port, nothing
    // more) or "*": what --cors-origin accepts.
    static bool valid_origin(std::string_view origin);

    bool enabled() const noexcept { return !origins_.empty(); }
    // The answer to `request` when it is a preflight from a listed origin; nullopt otherwise.
    std::optional<net::HttpResponse> preflight(const net::HttpRequest& request) const;
    // `result`, with the headers that let a listed origin read it (once it comes, for a result
    // computed later); unchanged for other requests.
    net::HandlerResult share(const net::HttpRequest& request, net::HandlerResult&& result) const;

  private:
    // The listed origin `request` comes from, as its Origin header spells it.
    std::optional<std::string> listed_origin(const net::HttpRequest& request) const;

    std::vector<std::string> origins_;
};

}  // namespace rekmock::protocol
