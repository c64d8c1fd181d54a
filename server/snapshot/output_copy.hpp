#pragma once

// `snapshot --with-outputs`: the objects a snapshot's jobs name, copied from S3 into the folder
// store's layout DIR/<bucket>/<key>, so that `--s3-dir DIR` serves them byte for byte. Each job's
// input manifest, and for a SUCCEEDED job its results and manifest summary, by the S3Object the
// job names (its Version included: recorded in DIR/.object-versions.json, which the folder store
// reads). An object that cannot be copied is listed, never fatal.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "media_analysis_job.hpp"
#include "object_store.hpp"

namespace rekmock::snapshot {

struct NotCopied {
    std::string object;    // "s3://bucket/key" and its version, if named
    std::string named_by;  // "job <JobId>'s input manifest"
    std::string reason;
};

struct OutputCopyReport {
    std::size_t copied = 0;
    std::uint64_t bytes = 0;
    std::vector<NotCopied> not_copied;
};

// Copies what `jobs` name from `source` into `folder` (created if missing, with the buckets'
// folders), a job's objects in the order input, results, summary, jobs in the order given; an
// object two jobs name is copied once. A key named in two versions keeps the first one copied
// (the folder store holds one version of a key), the other listed. `say` hears each object copied.
OutputCopyReport copy_outputs(const std::vector<MediaAnalysisJob>& jobs,
                              objects::ObjectStore& source, const std::filesystem::path& folder,
                              const std::function<void(const std::string&)>& say);

}  // namespace rekmock::snapshot
