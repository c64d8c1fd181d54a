#pragma once

// Splits the one port between the AWS API (everything else) and the control plane (/_mock/...,
// /_localstack/health) when it is enabled.

#include "aws_json_router.hpp"
#include "control_router.hpp"
#include "http_types.hpp"

namespace rekmock {

class FrontDoor final : public net::RequestHandler {
  public:
    // `control` may be null: the control plane is off and its paths reach the AWS router,
    // which answers them as AWS would. Both must outlive the front door.
    FrontDoor(protocol::AwsJsonRouter& aws, control::ControlRouter* control)
        : aws_(aws), control_(control) {}

    net::HandlerResult handle(const net::HttpRequest& request) noexcept override {
        if (control_ != nullptr && control::ControlRouter::claims(request.target())) {
            return {control_->handle(request), {}};
        }
        return aws_.serve(request);
    }

    net::HttpResponse reject(boost::beast::http::status status, std::string_view reason,
                             unsigned http_version) noexcept override {
        return aws_.reject(status, reason, http_version);
    }

  private:
    protocol::AwsJsonRouter& aws_;
    control::ControlRouter* control_;
};

}  // namespace rekmock
