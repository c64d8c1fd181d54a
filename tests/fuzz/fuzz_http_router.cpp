// Fuzzes the server's request path without a socket: bytes -> Beast's request parser with the
// server's limits (as net/http_session.cpp reads a connection, pipelined requests included) ->
// the front door (control plane on) -> AwsJsonRouter / ControlRouter, as server/main.cpp wires
// them. A second AWS router with --auth sigv4 serves every request too. Every response must
// have a valid status, a Content-Length matching its body, and serialize.

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "aws_json_router.hpp"
#include "clock.hpp"
#include "connection_limits.hpp"
#include "control_router.hpp"
#include "fault_injector.hpp"
#include "fixture_import.hpp"
#include "front_door.hpp"
#include "job_store.hpp"
#include "logger.hpp"
#include "media_analysis_service.hpp"
#include "mock_control.hpp"
#include "request_framing.hpp"
#include "request_journal.hpp"
#include "sigv4_verifier.hpp"
#include "synthetic_jobs.hpp"

namespace {

using namespace rekmock;
namespace beast = boost::beast;
namespace http = beast::http;

// Everything server/main.cpp builds for serve(), over an in-memory store.
struct World {
    std::FILE* log_file = std::fopen("/dev/null", "w");
    logging::Logger log{logging::LogLevel::Debug, log_file};
    std::vector<MediaAnalysisJob> baseline = fixtures::synthetic_jobs(10, 1);
    storage::JobStore store{":memory:"};
    service::SteerableClock clock;
    service::MediaAnalysisService service{store, clock};
    protocol::FaultInjector faults;
    protocol::RequestJournal journal;
    protocol::SigV4Verifier verifier{
        {{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}, {"111122223333", "secret"}},
        "rekognition"};
    protocol::EncodedAnswers answers;
    protocol::AwsJsonRouter aws{service, log, "000000000000",
                                protocol::RouterHooks{&faults, &journal, nullptr, &answers}};
    protocol::AwsJsonRouter aws_sigv4{service, log, "000000000000",
                                      protocol::RouterHooks{&faults, &journal, &verifier}};
    // No fixture files: a reset that reloads empties the store; seeds are read for real.
    fixtures::FixtureFiles fixture_files{store, {}, Scope{}};
    control::MockControl mock_control{store, clock, fixture_files, faults, journal};
    control::ControlRouter control{mock_control,
                                   control::ServerInfo{"fuzz", store.location(), "000000000000"}};
    // Every origin may call the API, so preflights and shared answers are fuzzed too.
    protocol::CorsPolicy cors{{"*"}};
    FrontDoor front_door{aws, &control, cors};

    World() { store.put_all(baseline); }
    ~World() { std::fclose(log_file); }
    World(const World&) = delete;
    World& operator=(const World&) = delete;
};

// Inputs seed jobs, start jobs, add fault rules and move the clock: start over every so often
// so memory stays flat and state does not drift forever.
constexpr std::uint64_t kRunsPerWorld = 10000;
// Requests read from one input at most (keep-alive pipelining).
constexpr int kMaxRequestsPerInput = 8;

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "fuzz_http_router: %s\n", what.c_str());
    std::abort();
}

void check(const net::HttpResponse& response, const char* who) {
    const unsigned status = response.result_int();
    if (status < 200 || status > 599) {
        fail(std::string(who) + " answered status " + std::to_string(status));
    }
    const auto length = response.find(http::field::content_length);
    if (length != response.end() && length->value() != std::to_string(response.body().size())) {
        fail(std::string(who) + " answered Content-Length " + std::string(length->value()) +
             " for a body of " + std::to_string(response.body().size()) + " bytes");
    }
    std::ostringstream wire;
    wire << response;  // http::serializer underneath
    if (!wire || wire.str().size() < response.body().size()) {
        fail(std::string(who) + " answered a response that does not serialize");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static std::unique_ptr<World> world;
    static std::uint64_t runs = 0;
    if (runs++ % kRunsPerWorld == 0) {
        world.reset();
        world = std::make_unique<World>();
    }

    const net::ConnectionLimits limits;
    beast::flat_buffer buffer;
    buffer.commit(boost::asio::buffer_copy(buffer.prepare(size), boost::asio::buffer(data, size)));

    for (int i = 0; i < kMaxRequestsPerInput && buffer.size() > 0; ++i) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(limits.body_limit);
        parser.header_limit(limits.header_limit);
        parser.eager(true);

        beast::error_code ec;
        while (!parser.is_done() && buffer.size() > 0) {
            const std::size_t used = parser.put(buffer.data(), ec);
            buffer.consume(used);
            if (ec || used == 0) {
                break;
            }
        }
        // The input is the whole connection: its end is the peer closing it.
        if (!parser.is_done() && (!ec || ec == http::error::need_more)) {
            ec = {};
            parser.put_eof(ec);
        }

        // What net/http_session.cpp refuses once the header is read, before any body.
        if (parser.is_header_done()) {
            if (const auto framing = net::check_framing(parser.get())) {
                check(world->front_door.reject(framing->status, framing->reason, 11, &parser.get()),
                      "reject(framing)");
                return 0;
            }
        }
        if (!parser.is_done()) {
            if (!ec) {
                fail("the parser is neither done nor failed");
            }
            // What net/http_session.cpp answers when it cannot read a request.
            if (ec == http::error::body_limit) {
                check(world->front_door.reject(http::status::payload_too_large, "body",
                                               parser.get().version(), &parser.get()),
                      "reject(body_limit)");
            } else if (ec == http::error::header_limit) {
                check(world->front_door.reject(http::status::request_header_fields_too_large,
                                               "headers", 11, nullptr),
                      "reject(header_limit)");
            } else if (parser.got_some()) {
                check(world->front_door.reject(http::status::bad_request,
                                               "Malformed HTTP request: " + ec.message(), 11,
                                               parser.is_header_done() ? &parser.get() : nullptr),
                      "reject(malformed)");
            }
            return 0;
        }

        const net::HttpRequest request = parser.release();
        const net::HandlerResult result = world->front_door.handle(request);
        check(result.response, "front door");
        if (result.delay.count() < 0) {
            fail("a negative injected latency");
        }
        check(world->aws_sigv4.serve(request).response, "AWS router with --auth sigv4");
        if (!request.keep_alive()) {
            break;
        }
    }
    return 0;
}
