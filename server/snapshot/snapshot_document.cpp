#include "snapshot_document.hpp"

#include <stdexcept>

#include "fixture_reader.hpp"
#include "job_description_json.hpp"
#include "json_writer.hpp"

namespace rekmock::snapshot {

std::string write_snapshot_document(const SnapshotDocument& document) {
    std::string text = "{";
    {
        json::JsonWriter out(text);
        out.member("AccountId", document.account_id);
        out.member("Region", document.region);
        out.key("MediaAnalysisJobs");
    }
    text += "[";
    std::size_t written = 0;
    for (const MediaAnalysisJob& job : document.jobs) {
        text += written++ == 0 ? "\n  " : ",\n  ";
        json::JsonWriter out(text);
        protocol::write_job_description(out, job);
    }
    text += written == 0 ? "]}\n" : "\n]}\n";
    return text;
}

void check_loads_back(const std::string& text, const SnapshotDocument& document) {
    // A scope no document names, so that the document's own scope is the one read.
    const Scope unnamed{"000000000000", "us-east-1"};
    std::size_t index = 0;
    const auto outcome = fixtures::read_fixture(
        text, "the snapshot", unnamed, [&](MediaAnalysisJob&& job, std::size_t at) {
            if (at >= document.jobs.size() || at != index++) {
                throw std::runtime_error("the snapshot holds a job it was not given");
            }
            job.scope = document.jobs[at].scope;
            if (!(job == document.jobs[at])) {
                throw std::runtime_error("job " + document.jobs[at].job_id +
                                         " reads back otherwise than it was written");
            }
        });
    if (outcome.jobs != document.jobs.size() || outcome.scope.region != document.region ||
        outcome.scope.account != document.account_id.value_or(unnamed.account)) {
        throw std::runtime_error("the snapshot reads back with another scope or count of jobs");
    }
}

}  // namespace rekmock::snapshot
