#pragma once

// What `rekognition-mock conformance` prints: a table of its calls, each `same` or with its
// differences, and a summary line; or with --json the same as one JSON document for CI. Neither
// holds a credential: requests' bodies, answers' statuses and types, endpoints' URLs.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "conformance_scenario.hpp"

namespace rekmock::conformance {

struct ConformanceReport {
    std::string version;  // the mock's, which made the calls
    std::string reference;
    std::string candidate;
    std::string region;
    ScenarioKind scenario = ScenarioKind::ReadOnly;
    std::vector<CallReport> calls;
};

struct ReportSummary {
    std::size_t calls = 0;
    std::size_t same = 0;
    std::size_t different = 0;
    std::size_t not_compared = 0;
    std::size_t differences = 0;
};

ReportSummary summarise(const std::vector<CallReport>& calls);

// "read-only", "full".
std::string scenario_name(ScenarioKind kind);

// One call's result, as the table and the progress lines say it: "same", "2 differences",
// "not compared".
std::string result_of(const CallReport& call);

// "48 calls: 46 same, 2 different (3 differences), 0 not compared"
std::string summary_line(const ReportSummary& summary);

// The table, its heading naming both endpoints, the summary last: each call's result, and for
// one that differs what each side answered and each difference; for one not compared, why.
std::string report_table(const ConformanceReport& report);

// {"version", "reference", "candidate", "region", "scenario", "calls": [{"call", "operation",
// "request", "result", "reference", "candidate", "differences": [{"what", "reference",
// "candidate"}], "notes"}], "summary": {...}}
nlohmann::json report_json(const ConformanceReport& report);

// 0 when no call differs, 1 otherwise.
int exit_status(const ReportSummary& summary);

}  // namespace rekmock::conformance
