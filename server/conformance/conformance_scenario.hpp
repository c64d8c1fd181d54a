#pragma once

// The calls `rekognition-mock conformance` makes alike on two endpoints, and what it compares of
// their answers. The read-only scenario changes nothing on either side: List walks with
// MaxResults 1, 2 and 100, MaxResults out of range, foreign and malformed tokens, Gets of unknown
// and malformed JobIds and of the newest job, and a Start per constraint of the API model (each
// refused before any job exists). The full scenario then starts jobs on a manifest the user names,
// follows them to the end and compares them as Get and List show them.

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "endpoint.hpp"
#include "json_diff.hpp"

namespace rekmock::conformance {

enum class ScenarioKind { ReadOnly, Full };

// How the full scenario waits for its jobs to end: a pause between rounds of Gets, growing to at
// most `max_pause`, until every job ended or the pauses add up to `patience`.
struct FollowPolicy {
    std::chrono::milliseconds first_pause{500};
    std::chrono::milliseconds max_pause{std::chrono::seconds(20)};
    std::chrono::milliseconds patience{std::chrono::hours(1)};
    std::function<void(std::chrono::milliseconds)> sleep;  // std::this_thread::sleep_for if empty
    std::function<void(const std::string&)> waiting;       // hears each round that ended no job
};

struct ScenarioSettings {
    ScenarioKind kind = ScenarioKind::ReadOnly;
    // The full scenario's input manifest and output bucket.
    std::string manifest_bucket;
    std::string manifest_key;
    std::string output_bucket;
    // Unique to the run: the full scenario's ClientRequestTokens and JobNames end with it.
    std::string run_id;
    FollowPolicy follow;
};

// One row of the report: a call made alike on both endpoints (or a walk of calls).
struct CallReport {
    std::string name;                   // "ListMediaAnalysisJobs MaxResults 1, every page"
    std::string operation;              // "ListMediaAnalysisJobs"
    nlohmann::json request;             // the body of its first request, as sent to the reference
    std::string reference_answer = {};  // what each side answered, in short: "400 ...", "48 pages"
    std::string candidate_answer = {};
    Comparison comparison = {};
    bool compared = true;  // false when the call could not be made alike (comparison.notes say why)
};

// An endpoint refused the scenario's first call outright (no answer, or its credentials): the
// run stops, since every other call would fail alike.
class ScenarioAborted : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Runs `settings.kind`'s scenario on both endpoints, each call on the reference first; `on_call`
// hears each row as it is made. Throws ScenarioAborted.
std::vector<CallReport> run_scenario(const ScenarioSettings& settings, const Endpoint& reference,
                                     const Endpoint& candidate,
                                     const std::function<void(const CallReport&)>& on_call = {});

}  // namespace rekmock::conformance
