#pragma once

// Runs each started job's work (job_work.hpp) once, when the job's CompletionTimestamp comes, on
// a bounded pool of worker threads: for jobs nobody asks about, a timer hands due work to the
// pool; a request that finds a job due waits for its work, so that no response shows a job
// terminal before its outputs exist. On an I/O thread (would_block.hpp) the request does not
// wait: the work goes to the pool and the request is served again once it is done. Pending work
// lives in the store (outputs_pending), so a restarted server, or another server on the same
// store, finishes it.

#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "clock.hpp"
#include "job_store.hpp"
#include "job_work.hpp"
#include "usage_meter.hpp"

namespace rekmock::service {

class JobWorkScheduler {
  public:
    // All must outlive the scheduler; `threads` (at least 1) bounds the work done at once (jobs'
    // work, manifest checks, object reads); `usage`, when given, counts each job's work that
    // stands. No thread runs until start().
    JobWorkScheduler(storage::JobStore& store, const Clock& clock, JobWork& work, unsigned threads,
                     UsageMeter* usage = nullptr);
    // stop(0), then waits for the work in progress to end.
    ~JobWorkScheduler();
    JobWorkScheduler(const JobWorkScheduler&) = delete;
    JobWorkScheduler& operator=(const JobWorkScheduler&) = delete;

    // Starts the timer thread, which hands each pending job's work to the pool at its
    // CompletionTimestamp (at once for those already due, as after a restart).
    void start();

    // Stops the timer and drops queued work (it stays pending in the store); returns whether the
    // work in progress finished within `grace` (when not, its threads are still running).
    bool stop(std::chrono::milliseconds grace);

    // `job` as stored once its work is done, if it is pending and due at `now`: does the work
    // here, or waits for the thread already doing it. Any other job is returned unchanged. On an
    // I/O thread a due job's work is queued and WouldBlock thrown instead.
    MediaAnalysisJob settle(const MediaAnalysisJob& job, Timestamp now);

    // JobWork::admit, on a worker thread: on an I/O thread throws WouldBlock instead.
    std::optional<std::string> admit(const MediaAnalysisJob& job);

    // Returns on a thread that may read the object store; on an I/O thread throws WouldBlock,
    // whose retry runs on a worker thread.
    void require_worker();

    // Runs `task` on the pool, where it may read the object store, unless stopping (then `task`
    // is destroyed uncalled); a task's exception is dropped.
    void run_on_pool(std::function<void()> task);

    // Tells the timer thread that due times may have moved: a job started or was steered, or
    // the lifecycle clock advanced.
    void wake();

  private:
    using JobKey = std::pair<std::string, std::string>;  // (account/region, JobId)
    static JobKey key_of(const MediaAnalysisJob& job);
    void run_timer();
    // Queues the work of `job` on the pool unless it is queued or in progress already; returns
    // whether it was queued now.
    bool submit(const MediaAnalysisJob& job);
    // Calls `retry` on the pool once the work of `key` is neither queued nor in progress.
    void when_settled(const JobKey& key, std::function<void()> retry);
    // Calls the retries waiting for `key` if its work is neither queued nor in progress.
    void release_waiters(const JobKey& key);
    // settle() once the caller has claimed `key`: releases the claim when done.
    MediaAnalysisJob settle_claimed(const MediaAnalysisJob& job, const JobKey& key, Timestamp now);
    // Does the work of `job` and stores the outcome; the caller holds the claim on it.
    MediaAnalysisJob perform(const MediaAnalysisJob& job);

    storage::JobStore& store_;
    const Clock& clock_;
    JobWork& work_;
    UsageMeter* usage_;
    boost::asio::thread_pool pool_;
    std::mutex mutex_;
    std::condition_variable finished_;    // a job left in_progress_ or queued_
    std::condition_variable timer_wake_;  // woken_ or stopping_ set
    std::set<JobKey> in_progress_;        // claimed by a thread doing the work; guarded by mutex_
    std::set<JobKey> queued_;             // on the pool, not yet claimed; guarded by mutex_
    std::map<JobKey, std::vector<std::function<void()>>> waiters_;  // guarded by mutex_
    std::size_t running_ = 0;  // pool tasks running; guarded by mutex_
    bool woken_ = false;       // guarded by mutex_
    bool stopping_ = false;    // guarded by mutex_
    std::thread timer_;
};

// The job as the API shows it at `now` (job_at), its due work done first when there is work
// (`work` is nullptr without an object store).
MediaAnalysisJob shown_at(JobWorkScheduler* work, const MediaAnalysisJob& stored, Timestamp now);

}  // namespace rekmock::service
