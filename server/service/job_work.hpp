#pragma once

// The work behind a started job when an object store is configured: its input manifest checked
// when it starts, its manifest read, its images checked and its results and manifest summary
// written when it completes. The bulk-analysis layer (server/bulk_analysis/) does it; the
// service reaches it through this interface and knows no file format or object store.

#include <cstdint>
#include <optional>
#include <string>

#include "media_analysis_job.hpp"

namespace rekmock::service {

// How a job's work ended.
struct WorkOutcome {
    // The failure the job ends with (no valid manifest line, an output bucket that refuses the
    // write); std::nullopt when both outputs were written.
    std::optional<MediaAnalysisJobFailureDetails> failure;
    // The versions a versioned bucket gave the results and the summary.
    std::optional<std::string> results_version;
    std::optional<std::string> summary_version;
    // The manifest's valid lines (images processed, what AWS bills) and the lines its summary
    // refused, once the manifest was read to its end.
    std::uint64_t images_processed = 0;
    std::uint64_t lines_refused = 0;
};

class JobWork {
  public:
    virtual ~JobWork() = default;
    // Throws ServiceError (InvalidS3Object when the job's input manifest cannot be read,
    // InvalidManifest when it is empty or over the limit) for a job Start must refuse; else
    // returns the moderation rules in force, as text, for the store to freeze with the job
    // (MediaAnalysisJob::frozen_rules): the scope's rules may change before perform().
    virtual std::optional<std::string> admit(const MediaAnalysisJob& job) = 0;
    // Does the job's work with the rules admit() returned for it and says how it ended; the
    // job's own faults are the outcome, never an exception.
    virtual WorkOutcome perform(const MediaAnalysisJob& job,
                                const std::optional<std::string>& frozen_rules) = 0;
};

}  // namespace rekmock::service
