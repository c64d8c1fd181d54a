#pragma once

// The AWS JSON 1.1 front door: POST / with X-Amz-Target: RekognitionService.<Operation>.
// A pure function of the request (plus the service's state), so most tests need no socket.

#include <string>
#include <string_view>

#include "http_types.hpp"
#include "logger.hpp"
#include "media_analysis_service.hpp"

namespace rekmock::protocol {

class AwsJsonRouter final : public net::RequestHandler {
  public:
    // Both must outlive the router. Callers whose access key id is not an account id act in
    // `default_account`.
    AwsJsonRouter(service::MediaAnalysisService& service, logging::Logger& log,
                  std::string default_account = "000000000000")
        : service_(service), log_(log), default_account_(std::move(default_account)) {}

    net::HttpResponse handle(const net::HttpRequest& request) noexcept override;
    net::HttpResponse reject(boost::beast::http::status status, std::string_view reason,
                             unsigned http_version) noexcept override;

  private:
    struct Outcome {
        net::HttpResponse response;
        std::string_view error_type;  // a static AWS error name; empty on success
    };
    // The response for `operation` (possibly ""), errors included.
    Outcome respond(const net::HttpRequest& request, const std::string& operation,
                    const std::string& request_id);

    service::MediaAnalysisService& service_;
    logging::Logger& log_;
    std::string default_account_;
};

}  // namespace rekmock::protocol
