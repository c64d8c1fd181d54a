#pragma once

// The fixture document `snapshot` writes: the format `--fixtures` and POST /_mock/jobs read
// (fixture_reader.hpp), with the jobs' account and region, one job a line in the model's member
// order, so that large snapshots stay quick to read and to diff.

#include <optional>
#include <string>
#include <vector>

#include "media_analysis_job.hpp"

namespace rekmock::snapshot {

struct SnapshotDocument {
    std::optional<std::string> account_id;  // none: the loading mock's --default-account
    std::string region;
    std::vector<MediaAnalysisJob> jobs;  // in the order written (the source's list order)
};

// {"AccountId": ..., "Region": ..., "MediaAnalysisJobs": [...]} and a final newline.
std::string write_snapshot_document(const SnapshotDocument& document);

// Throws std::runtime_error unless `text` loads as a fixture document holding exactly
// `document`'s scope and jobs: the promise that what the source answered is what the mock will.
void check_loads_back(const std::string& text, const SnapshotDocument& document);

}  // namespace rekmock::snapshot
