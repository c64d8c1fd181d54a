#pragma once

// `rekognition-mock snapshot`: copies the jobs of a Rekognition endpoint (AWS's by default) into
// one fixture document, and with --with-outputs the objects they name into a folder store. It
// lists every page (ListMediaAnalysisJobs, MaxResults 100), reads each kept job whole
// (GetMediaAnalysisJob), checks that the document loads back as the same jobs, and only then
// writes it: a call that fails after its retries writes nothing.

#include <ostream>

#include "s3_config.hpp"
#include "snapshot_settings.hpp"

namespace rekmock::snapshot {

// Attempts per call: throttling from AWS lasts, and a snapshot is not in a hurry.
inline constexpr unsigned kAttemptsPerCall = 8;

// Runs the command; returns its exit status: 0 when the document was written (objects that could
// not be copied are listed, not fatal), 1 when it was not. The document goes to settings.output
// or to `out`; progress and problems to `progress`, which never shows a secret.
int run_snapshot(const SnapshotSettings& settings, const objects::Environment& environment,
                 std::ostream& out, std::ostream& progress);

}  // namespace rekmock::snapshot
