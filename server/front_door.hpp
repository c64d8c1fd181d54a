#pragma once

// Splits the one port between the AWS API (everything else) and the control plane (/_mock/...,
// /_localstack/health) when it is enabled. The liveness probe (GET /_mock/ping) is answered here,
// always: it is no AWS operation (never logged, journaled, faulted or authenticated) and no
// control endpoint (it works with the control plane off), so a container's health check cannot
// disturb what a test observes. Cross-origin access (--cors-origin) is granted to the AWS API
// only.

#include "aws_json_router.hpp"
#include "control_router.hpp"
#include "cors_policy.hpp"
#include "http_types.hpp"
#include "liveness_probe.hpp"
#include "would_block.hpp"

namespace rekmock {

class FrontDoor final : public net::RequestHandler {
  public:
    // `control` may be null: the control plane is off and its paths reach the AWS router,
    // which answers them as AWS would. All must outlive the front door.
    FrontDoor(protocol::AwsJsonRouter& aws, control::ControlRouter* control,
              const protocol::CorsPolicy& cors)
        : aws_(aws), control_(control), cors_(cors) {}

    // Called on I/O threads: what would block there (the object store) comes back as `later`.
    net::HandlerResult handle(const net::HttpRequest& request) noexcept override {
        if (request.method() == boost::beast::http::verb::get && request.target() == kPingPath) {
            return {ping(request), {}, {}};
        }
        const service::InlineOnly io_thread;
        if (control_ != nullptr && control::ControlRouter::claims(request.target())) {
            return control_->serve(request);
        }
        if (!cors_.enabled()) {
            return aws_.serve(request);
        }
        if (auto preflight = cors_.preflight(request)) {
            return {std::move(*preflight), {}, {}};
        }
        return cors_.share(request, aws_.serve(request));
    }

    net::HttpResponse reject(boost::beast::http::status status, std::string_view reason,
                             unsigned http_version,
                             const net::HttpRequest* header) noexcept override {
        return aws_.reject(status, reason, http_version, header);
    }

  private:
    static net::HttpResponse ping(const net::HttpRequest& request) noexcept {
        net::HttpResponse response{boost::beast::http::status::ok, request.version()};
        response.set(boost::beast::http::field::content_type, "application/json");
        response.keep_alive(request.keep_alive());
        response.body() = "{\"Status\":\"ready\"}\n";
        response.prepare_payload();
        return response;
    }

    protocol::AwsJsonRouter& aws_;
    control::ControlRouter* control_;
    const protocol::CorsPolicy& cors_;
};

}  // namespace rekmock
