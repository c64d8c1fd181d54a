// Fuzzes fixture files: bytes -> fixtures::parse_fixture, whose only acceptable failure is a
// FixtureError. Whatever it accepts must round-trip: re-encoded with the API's own wire form
// (protocol::encode_job_description, as `aws rekognition list-media-analysis-jobs` would print
// it) and parsed again, the jobs come back equal. The fast reader (fixtures::scan_fixture),
// given the input and the re-encoded text, either gives up or yields what parse_fixture yields:
// it never accepts a file parse_fixture refuses.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fixture_loader.hpp"
#include "fixture_scanner.hpp"
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

// The fast reader's jobs, or std::nullopt when it gives up or they repeat a JobId (which
// import_fixture_files also leaves to the reference reader).
std::optional<std::vector<MediaAnalysisJob>> scan(const std::string& text) {
    std::vector<MediaAnalysisJob> jobs;
    const bool read = fixtures::scan_fixture(
        text, Scope{}, [&](MediaAnalysisJob&& job) { jobs.push_back(std::move(job)); });
    std::set<std::string> ids;
    for (const auto& job : jobs) {
        if (!ids.insert(job.job_id).second) {
            return std::nullopt;
        }
    }
    return read ? std::optional(std::move(jobs)) : std::nullopt;
}

// The fast reader agrees with the reference reader's `expected` (std::nullopt: refused).
void check_fast_reader(const std::string& text,
                       const std::optional<std::vector<MediaAnalysisJob>>& expected) {
    const auto fast = scan(text);
    if (fast && !expected) {
        fail("the fast reader accepted a fixture the reference reader refuses", text, "");
    }
    if (fast && *fast != *expected) {
        fail("the fast reader read other jobs than the reference reader", text, "");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<MediaAnalysisJob> jobs;
    try {
        jobs = fixtures::parse_fixture(text, "fuzz");
    } catch (const fixtures::FixtureError&) {
        check_fast_reader(text, std::nullopt);
        return 0;
    }
    check_fast_reader(text, jobs);

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
    check_fast_reader(reencoded, again);
    return 0;
}
