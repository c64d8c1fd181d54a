// Fuzzes fixture documents: bytes -> fixtures::read_fixture, whose only acceptable failure is a
// FixtureError. Whatever it accepts must round-trip: re-encoded with the API's own wire form
// (protocol::encode_job_description, as `aws rekognition list-media-analysis-jobs` would print
// it) and read again, the jobs come back equal. The reader's fast path (fixtures::scan_job),
// given the input as one job, either declines it or yields what the model decoder yields: it
// never accepts a job the model decoder refuses.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fixture_reader.hpp"
#include "job_description_json.hpp"
#include "media_analysis_job.hpp"
#include "scanned_object.hpp"

namespace {

using namespace rekmock;

[[noreturn]] void fail(const std::string& what, const std::string& input,
                       const std::string& reencoded) {
    std::fprintf(stderr, "fuzz_fixture_loader: %s\ninput: %s\nre-encoded: %s\n", what.c_str(),
                 input.c_str(), reencoded.c_str());
    std::abort();
}

// Every job of `text`, in its document's scope.
std::vector<MediaAnalysisJob> read_all(const std::string& text, const std::string& name) {
    std::vector<MediaAnalysisJob> jobs;
    const auto outcome = fixtures::read_fixture(
        text, name, Scope{}, [&](MediaAnalysisJob&& job, std::size_t) { jobs.push_back(job); });
    for (auto& job : jobs) {
        job.scope = outcome.scope;
    }
    return jobs;
}

// The fast path on `text` as one job agrees with the model decoder.
void check_fast_path(const std::string& text) {
    fixtures::Cursor in{text.data(), text.data() + text.size()};
    MediaAnalysisJob fast;
    try {
        fast = fixtures::scan_job(in);
    } catch (const fixtures::Declined&) {
        return;
    }
    if (!in.done()) {
        return;
    }
    MediaAnalysisJob decoded;
    try {
        decoded = protocol::decode_job_description(nlohmann::json::parse(text), "", true);
    } catch (const std::exception& e) {
        fail(std::string("the fast path accepted a job the model decoder refuses: ") + e.what(),
             text, "");
    }
    if (!(fast == decoded)) {
        fail("the fast path read another job than the model decoder", text, "");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    check_fast_path(text);
    std::vector<MediaAnalysisJob> jobs;
    try {
        jobs = read_all(text, "fuzz");
    } catch (const fixtures::FixtureError&) {
        return 0;
    }

    // One document holds one scope: name it, so jobs of a non-default scope come back in it.
    nlohmann::ordered_json document = nlohmann::ordered_json::object();
    if (!jobs.empty()) {
        document["AccountId"] = jobs.front().scope.account;
        document["Region"] = jobs.front().scope.region;
    }
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& job : jobs) {
        const std::string encoded = protocol::encode_job_description(job);
        check_fast_path(encoded);
        list.push_back(nlohmann::ordered_json::parse(encoded));
    }
    document["MediaAnalysisJobs"] = std::move(list);
    const std::string reencoded = document.dump();

    std::vector<MediaAnalysisJob> again;
    try {
        again = read_all(reencoded, "fuzz (re-encoded)");
    } catch (const fixtures::FixtureError& e) {
        fail(std::string("the re-encoded fixture was refused: ") + e.what(), text, reencoded);
    }
    if (again != jobs) {
        fail("the re-encoded fixture read as different jobs", text, reencoded);
    }
    return 0;
}
