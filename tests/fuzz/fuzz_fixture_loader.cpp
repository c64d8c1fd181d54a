// Fuzzes fixture files: bytes -> fixtures::parse_fixture, whose only acceptable failure is a
// FixtureError. Whatever it accepts must round-trip: re-encoded with the API's own wire form
// (protocol::encode_job_description, as `aws rekognition list-media-analysis-jobs` would print
// it) and parsed again, the jobs come back equal.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fixture_loader.hpp"
#include "job_description_json.hpp"
#include "media_analysis_job.hpp"

namespace {

using namespace rekmock;

[[noreturn]] void fail(const std::string& what, const std::string& input,
                       const std::string& reencoded) {
    std::fprintf(stderr, "fuzz_fixture_loader: %s\ninput: %s\nre-encoded: %s\n", what.c_str(),
                 input.c_str(), reencoded.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<MediaAnalysisJob> jobs;
    try {
        jobs = fixtures::parse_fixture(text, "fuzz");
    } catch (const fixtures::FixtureError&) {
        return 0;
    }

    // One file holds one scope: name it, so jobs of a non-default scope come back in it.
    nlohmann::ordered_json document = nlohmann::ordered_json::object();
    if (!jobs.empty()) {
        document["AccountId"] = jobs.front().scope.account;
        document["Region"] = jobs.front().scope.region;
    }
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& job : jobs) {
        list.push_back(nlohmann::ordered_json::parse(protocol::encode_job_description(job)));
    }
    document["MediaAnalysisJobs"] = std::move(list);
    const std::string reencoded = document.dump();

    std::vector<MediaAnalysisJob> again;
    try {
        again = fixtures::parse_fixture(reencoded, "fuzz (re-encoded)");
    } catch (const fixtures::FixtureError& e) {
        fail(std::string("the re-encoded fixture was refused: ") + e.what(), text, reencoded);
    }
    if (again != jobs) {
        fail("the re-encoded fixture parsed to different jobs", text, reencoded);
    }
    return 0;
}
