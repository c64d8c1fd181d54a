#pragma once

// Runs each started job's work (job_work.hpp) once, when the job's CompletionTimestamp comes:
// on a timer thread for jobs nobody asks about, and at once on the thread of a request that
// finds a job due (Get, List, a steer), so that no response shows a job terminal before its
// outputs exist. Pending work lives in the store (outputs_pending), so a restarted server, or
// another server on the same store, finishes it.

#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include "clock.hpp"
#include "job_store.hpp"
#include "job_work.hpp"

namespace rekmock::service {

class JobWorkScheduler {
  public:
    // All three must outlive the scheduler. No thread runs until start().
    JobWorkScheduler(storage::JobStore& store, const Clock& clock, JobWork& work);
    // Stops the timer thread; work in progress on it finishes first.
    ~JobWorkScheduler();
    JobWorkScheduler(const JobWorkScheduler&) = delete;
    JobWorkScheduler& operator=(const JobWorkScheduler&) = delete;

    // Starts the timer thread, which does each pending job's work at its CompletionTimestamp
    // (at once for those already due, as after a restart).
    void start();

    // `job` as stored once its work is done, if it is pending and due at `now`: does the work
    // here, or waits for the thread already doing it. Any other job is returned unchanged.
    MediaAnalysisJob settle(const MediaAnalysisJob& job, Timestamp now);

    // Tells the timer thread that due times may have moved: a job started or was steered, or
    // the lifecycle clock advanced.
    void wake();

    JobWork& work() noexcept { return work_; }

  private:
    using JobKey = std::pair<std::string, std::string>;  // (account/region, JobId)
    void run_timer();
    // Does the work of `job` and stores the outcome; the caller holds the claim on it.
    MediaAnalysisJob perform(const MediaAnalysisJob& job);

    storage::JobStore& store_;
    const Clock& clock_;
    JobWork& work_;
    std::mutex mutex_;
    std::condition_variable finished_;    // a job left in_progress_
    std::condition_variable timer_wake_;  // woken_ or stopping_ set
    std::set<JobKey> in_progress_;        // guarded by mutex_
    bool woken_ = false;                  // guarded by mutex_
    bool stopping_ = false;               // guarded by mutex_
    std::thread timer_;
};

// The job as the API shows it at `now` (job_at), its due work done first when there is work
// (`work` is nullptr without an object store).
MediaAnalysisJob shown_at(JobWorkScheduler* work, const MediaAnalysisJob& stored, Timestamp now);

}  // namespace rekmock::service
