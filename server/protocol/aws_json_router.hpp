#pragma once

// The AWS JSON 1.1 front door: POST / with X-Amz-Target: RekognitionService.<Operation>.
// A pure function of the request (plus the service's state), so most tests need no socket.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "fault_injector.hpp"
#include "http_types.hpp"
#include "logger.hpp"
#include "media_analysis_service.hpp"
#include "operations.hpp"
#include "request_journal.hpp"
#include "request_members.hpp"
#include "sigv4_verifier.hpp"
#include "throughput_quotas.hpp"
#include "usage_meter.hpp"
#include "would_block.hpp"

namespace rekmock::protocol {

// Optional collaborators: a fault injector consulted before each operation, a journal of
// answered requests, a signature verifier and the encoded answers of settled jobs. All must
// outlive the router.
struct RouterHooks {
    FaultInjector* faults = nullptr;
    RequestJournal* journal = nullptr;
    const SigV4Verifier* auth = nullptr;   // null: signatures are not checked
    EncodedAnswers* answers = nullptr;     // null: every answer is read and encoded anew
    service::UsageMeter* usage = nullptr;  // null: calls are not counted
    ThroughputQuotas* quotas = nullptr;    // null: no call is over a quota
};

class AwsJsonRouter {
  public:
    // Both must outlive the router. Callers whose access key id is not an account id act in
    // `default_account`.
    AwsJsonRouter(service::MediaAnalysisService& service, logging::Logger& log,
                  std::string default_account = std::string(kDefaultAccount),
                  RouterHooks hooks = {})
        : service_(service),
          log_(log),
          defaults_{std::move(default_account), std::string(kDefaultRegion)},
          hooks_(hooks) {}

    // The response to one AWS request and how long to hold it (injected latency), or, when the
    // operation would block an I/O thread (would_block.hpp), how it comes later; never throws.
    net::HandlerResult serve(const net::HttpRequest& request) noexcept;
    // The response to a request that could not be read (too large, malformed HTTP); `header`
    // is its header when that was read whole (null otherwise), for the journal.
    net::HttpResponse reject(boost::beast::http::status status, std::string_view reason,
                             unsigned http_version,
                             const net::HttpRequest* header = nullptr) noexcept;

  private:
    // What an answer and its record need of the request, kept while the answer is computed on
    // another thread.
    struct Exchange {
        std::chrono::steady_clock::time_point started;
        std::string request_id;
        std::string operation;  // possibly ""
        OperationFn fn;         // null: no operation takes the request
        Scope caller;
    };
    struct Outcome {
        net::HttpResponse response;
        std::string_view error_type;  // a static AWS error name; empty on success
        std::chrono::milliseconds delay{0};
        // The request's body as the operation read it; none when the request was refused before
        // (an unknown operation, a signature, an injected fault, a body that is no JSON object).
        std::optional<Json> body;
        // Set when the operation would have blocked an I/O thread: no response yet.
        std::optional<service::WouldBlock> pending;
    };
    // The response for the exchange, errors included, or a pending outcome.
    Outcome respond(const net::HttpRequest& request,
                    const std::optional<SigV4Authorization>& authorization,
                    const Exchange& exchange);
    // Runs the exchange's operation on `body`: its response, its error, or a pending outcome.
    Outcome run(const net::HttpRequest& request, const Exchange& exchange, Json body,
                std::chrono::milliseconds delay);
    // The error response for the exception in flight.
    Outcome failure(const net::HttpRequest& request, const Exchange& exchange,
                    std::chrono::milliseconds delay, std::optional<Json> body);
    // Records and logs a complete outcome and hands back its response.
    net::HandlerResult finish(const net::HttpRequest& request, const Exchange& exchange,
                              Outcome&& outcome);

    service::MediaAnalysisService& service_;
    logging::Logger& log_;
    Scope defaults_;  // of callers whose credential names no account or region
    RouterHooks hooks_;
};

}  // namespace rekmock::protocol
