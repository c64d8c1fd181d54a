// Fuzzes the AWS JSON request decoding of every operation: bytes -> parse_json_object -> each of
// ListMediaAnalysisJobs, GetMediaAnalysisJob and StartMediaAnalysisJob against a real service
// over an in-memory store. The only acceptable failures are the API's own errors
// (ProtocolError, ServiceError); any other exception escapes and crashes the fuzzer.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "clock.hpp"
#include "job_store.hpp"
#include "media_analysis_service.hpp"
#include "operations.hpp"
#include "protocol_error.hpp"
#include "request_members.hpp"
#include "service_error.hpp"
#include "synthetic_jobs.hpp"

namespace {

using namespace rekmock;

// Time moves one second per input, so started jobs walk their lifecycle deterministically.
class FuzzClock final : public service::Clock {
  public:
    Timestamp now() const override { return now_; }
    void tick() { now_ += std::chrono::seconds(1); }

  private:
    // 2025-06-01T00:00:00Z, after every synthetic job's creation.
    Timestamp now_{std::chrono::milliseconds(1748736000000)};
};

service::ServiceConfig fuzz_config() {
    service::ServiceConfig config;
    config.durations = service::LifecycleDurations{std::chrono::seconds(2), std::chrono::seconds(3),
                                                   std::chrono::seconds(5)};
    config.max_unfinished_jobs = 20;
    return config;
}

// The store, its jobs (the same synthetic set the corpus' JobIds come from) and the service.
struct World {
    storage::JobStore store{":memory:"};
    FuzzClock clock;
    service::MediaAnalysisService service{store, clock, fuzz_config()};
    protocol::EncodedAnswers answers;
    protocol::OperationContext context{service, &answers};
    World() { store.put_all(fixtures::synthetic_jobs(25, 1)); }
};

// Start stores a job per accepted input: a fresh world every so often keeps memory flat.
constexpr std::uint64_t kRunsPerWorld = 10000;

const std::array kOperations{
    protocol::find_operation("ListMediaAnalysisJobs"),
    protocol::find_operation("GetMediaAnalysisJob"),
    protocol::find_operation("StartMediaAnalysisJob"),
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static std::unique_ptr<World> world;
    static std::uint64_t runs = 0;
    if (runs++ % kRunsPerWorld == 0) {
        world.reset();
        world = std::make_unique<World>();
    }
    world->clock.tick();

    const std::string_view body(reinterpret_cast<const char*>(data), size);
    protocol::Json request;
    try {
        request = protocol::parse_json_object(body);
    } catch (const protocol::ProtocolError&) {
        return 0;
    }
    const Scope caller;  // the default scope, which holds the synthetic jobs
    for (const auto operation : kOperations) {
        if (operation == nullptr) {
            __builtin_trap();  // an operation lost its registration
        }
        try {
            // The encoders write the body directly: it must be valid JSON.
            if (!nlohmann::json::accept(operation(world->context, request, caller))) {
                __builtin_trap();
            }
        } catch (const protocol::ProtocolError&) {
        } catch (const service::ServiceError&) {
        }
    }
    return 0;
}
