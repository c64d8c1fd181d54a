#pragma once

// A job as an endpoint answered it (GetMediaAnalysisJob's answer, or a ListMediaAnalysisJobs
// description), made the typed job a fixture document holds: decoded by the model decoder the
// fixture reader uses and validated against the API model, with what the mock would answer
// differently named member by member.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "media_analysis_job.hpp"

namespace rekmock::snapshot {

struct SnapshotJob {
    MediaAnalysisJob job;
    // The JSON Pointer of each member the mock, loaded with `job`, would answer otherwise than
    // the source did ("/NewMember" dropped, "/CreationTimestamp" past the millisecond); empty
    // when it answers the same.
    std::vector<std::string> differences;
};

// The job `answer` describes. Throws std::runtime_error naming the member when the mock cannot
// hold it (a wrong type, an unknown enum value, a broken model constraint).
SnapshotJob snapshot_job(const nlohmann::json& answer);

}  // namespace rekmock::snapshot
