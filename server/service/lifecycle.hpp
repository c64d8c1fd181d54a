#pragma once

// The simulated lifecycle of a started job: CREATED -> QUEUED -> IN_PROGRESS -> SUCCEEDED or
// FAILED, computed from timestamps rather than driven by background threads, so that List and
// Get agree at every instant and a restarted server picks up where it was.

#include <chrono>

#include "job_work.hpp"
#include "media_analysis_job.hpp"

namespace rekmock::service {

// How long a started job stays in each state before the next; all zero means a job is already
// terminal when StartMediaAnalysisJob returns. With `polls_per_state` above zero, started jobs
// progress by polls instead: one state per that many GetMediaAnalysisJob calls.
struct LifecycleDurations {
    std::chrono::milliseconds created{0};
    std::chrono::milliseconds queued{0};
    std::chrono::milliseconds in_progress{0};
    std::int64_t polls_per_state = 0;
};

// Progress by polls rides on the schedule: a state not yet reached by polls starts at kNever, and
// the Get that reaches it sets its start to that moment, so List, Get and dumps show a job by
// the same rule whichever way it progresses. The last millisecond of year 9999.
inline constexpr Timestamp kNever{std::chrono::milliseconds{253402300799999}};

// Turns a just-started job (status, timestamps and outputs unset) into its stored form: the
// terminal outcome (FAILED when its input name triggers a failure, else SUCCEEDED, with
// Results and ManifestSummary under the OutputConfig) reached at CompletionTimestamp, and the
// schedule of the states before it. With `work` (an object store is configured) a job that no
// trigger fails has its outputs pending: SUCCEEDED is then the plan, and the work's outcome
// decides (finish_work).
void plan_lifecycle(MediaAnalysisJob& job, Timestamp created, const LifecycleDurations& durations,
                    bool work = false);

// The job once its pending work ended with `outcome`: SUCCEEDED with the versions the outputs
// got, or FAILED with the outcome's failure; no longer pending.
MediaAnalysisJob finish_work(const MediaAnalysisJob& job, const WorkOutcome& outcome);

// The job as it is at `now`, forced to `status` and then frozen there (no schedule): a
// non-terminal status drops completion, failure and results; SUCCEEDED gains results and
// ManifestSummary under its OutputConfig if it had none; FAILED takes `failure` (or an
// INTERNAL_ERROR). A job that becomes terminal here completes at `now`. Pending work stays
// pending through non-terminal statuses, is due at once when steered to SUCCEEDED (its outcome
// then decides, as when time passes) and is dropped by FAILED.
MediaAnalysisJob steer_job(const MediaAnalysisJob& stored, MediaAnalysisJobStatus status,
                           const std::optional<MediaAnalysisJobFailureDetails>& failure,
                           Timestamp now);

// The job as the API shows it at `now`: before its CompletionTimestamp a started job is
// CREATED, QUEUED or IN_PROGRESS and shows no completion, failure or results; so is a job whose
// work is due but not yet done (IN_PROGRESS). Loaded jobs (no schedule) are shown as stored.
MediaAnalysisJob job_at(const MediaAnalysisJob& stored, Timestamp now);

// True for a job that progresses by polls and has not yet reached its last state at `now`: a
// Get of it counts (poll_job).
bool counts_polls(const MediaAnalysisJob& stored, Timestamp now);

// The job after one more Get at `now` (counts_polls must hold): the N-th, 2N-th and 3N-th Gets
// move it to QUEUED, IN_PROGRESS and its terminal state, each shown by the Get that reached it.
MediaAnalysisJob poll_job(const MediaAnalysisJob& stored, Timestamp now);

// The job moving by polls from now on, one state per `polls_per_state` Gets (>= 1) from the state
// it shows at `now`; std::nullopt for a job that has no lifecycle left to pace (loaded or
// steered, or already terminal).
std::optional<MediaAnalysisJob> pace_by_polls(const MediaAnalysisJob& stored,
                                              std::int64_t polls_per_state, Timestamp now);

// True when job_at(stored, t) == stored for every t >= now: the job will look the same from
// now on (loaded jobs always; started ones from their CompletionTimestamp, once their work is
// done).
bool settled_at(const MediaAnalysisJob& stored, Timestamp now);

}  // namespace rekmock::service
