#include "conformance_report.hpp"

#include <algorithm>
#include <set>

namespace rekmock::conformance {
namespace {

using nlohmann::json;

// Names longer than this push their result onto the next line's column.
constexpr std::size_t kMaxNameColumn = 80;

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

// A call's notes, each once, in the order first met.
std::vector<std::string> unique_notes(const CallReport& call) {
    std::vector<std::string> notes;
    std::set<std::string> seen;
    for (const std::string& note : call.comparison.notes) {
        if (seen.insert(note).second) {
            notes.push_back(note);
        }
    }
    return notes;
}

}  // namespace

ReportSummary summarise(const std::vector<CallReport>& calls) {
    ReportSummary summary;
    for (const CallReport& call : calls) {
        ++summary.calls;
        if (!call.compared) {
            ++summary.not_compared;
        } else if (call.comparison.differences.empty()) {
            ++summary.same;
        } else {
            ++summary.different;
            summary.differences += call.comparison.differences.size();
        }
    }
    return summary;
}

std::string scenario_name(ScenarioKind kind) {
    return kind == ScenarioKind::Full ? "full" : "read-only";
}

std::string result_of(const CallReport& call) {
    if (!call.compared) {
        return "not compared";
    }
    if (call.comparison.differences.empty()) {
        return "same";
    }
    return plural(call.comparison.differences.size(), "difference", "differences");
}

std::string summary_line(const ReportSummary& summary) {
    return plural(summary.calls, "call", "calls") + ": " + std::to_string(summary.same) +
           " same, " + std::to_string(summary.different) + " different (" +
           plural(summary.differences, "difference", "differences") + "), " +
           std::to_string(summary.not_compared) + " not compared";
}

std::string report_table(const ConformanceReport& report) {
    std::size_t column = 4;
    for (const CallReport& call : report.calls) {
        column = std::max(column, std::min(call.name.size(), kMaxNameColumn));
    }
    std::string text = "rekognition-mock conformance, " + scenario_name(report.scenario) +
                       " scenario, region " + report.region + "\n  reference: " + report.reference +
                       "\n  candidate: " + report.candidate + "\n\n";
    const auto padded = [column](const std::string& name) {
        if (name.size() > column) {
            return name + "\n" + std::string(column + 2, ' ');
        }
        return name + std::string(column + 2 - name.size(), ' ');
    };
    text += padded("CALL") + "RESULT\n";
    for (const CallReport& call : report.calls) {
        text += padded(call.name) + result_of(call) + "\n";
        if (call.compared && call.comparison.differences.empty()) {
            continue;
        }
        if (call.compared) {
            text += "    answered: reference " + call.reference_answer + "; candidate " +
                    call.candidate_answer + "\n";
        }
        for (const Difference& difference : call.comparison.differences) {
            text += "    - " + difference.what + ": reference " + difference.reference +
                    ", candidate " + difference.candidate + "\n";
        }
        if (!call.compared) {
            // Why; a compared call's notes (members one side's jobs lack) are in the JSON only.
            for (const std::string& note : unique_notes(call)) {
                text += "    note: " + note + "\n";
            }
        }
    }
    text += "\n" + summary_line(summarise(report.calls)) + "\n";
    return text;
}

json report_json(const ConformanceReport& report) {
    json calls = json::array();
    for (const CallReport& call : report.calls) {
        json differences = json::array();
        for (const Difference& difference : call.comparison.differences) {
            differences.push_back({{"what", difference.what},
                                   {"reference", difference.reference},
                                   {"candidate", difference.candidate}});
        }
        const std::string result = !call.compared                        ? "not compared"
                                   : call.comparison.differences.empty() ? "same"
                                                                         : "different";
        calls.push_back({{"call", call.name},
                         {"operation", call.operation},
                         {"request", call.request},
                         {"result", result},
                         {"reference", call.reference_answer},
                         {"candidate", call.candidate_answer},
                         {"differences", std::move(differences)},
                         {"notes", unique_notes(call)}});
    }
    const ReportSummary summary = summarise(report.calls);
    return json{{"version", report.version},
                {"reference", report.reference},
                {"candidate", report.candidate},
                {"region", report.region},
                {"scenario", scenario_name(report.scenario)},
                {"calls", std::move(calls)},
                {"summary",
                 {{"calls", summary.calls},
                  {"same", summary.same},
                  {"different", summary.different},
                  {"not compared", summary.not_compared},
                  {"differences", summary.differences}}}};
}

int exit_status(const ReportSummary& summary) {
    return summary.different == 0 ? 0 : 1;
}

}  // namespace rekmock::conformance
