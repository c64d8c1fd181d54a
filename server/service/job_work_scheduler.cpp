#include "job_work_scheduler.hpp"

#include <algorithm>
#include <exception>

#include "lifecycle.hpp"

namespace rekmock::service {
namespace {

// How often the timer looks for due work when nothing wakes it: another server on the same
// store may have started a job, and a failed store write is retried.
constexpr std::chrono::milliseconds kPollInterval{1000};
constexpr std::size_t kBatch = 16;

bool due(const MediaAnalysisJob& job, Timestamp now) {
    return job.outputs_pending && job.completion_timestamp && now >= *job.completion_timestamp;
}

}  // namespace

JobWorkScheduler::JobWorkScheduler(storage::JobStore& store, const Clock& clock, JobWork& work)
    : store_(store), clock_(clock), work_(work) {}

JobWorkScheduler::~JobWorkScheduler() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    timer_wake_.notify_all();
    if (timer_.joinable()) {
        timer_.join();
    }
}

void JobWorkScheduler::start() {
    timer_ = std::thread([this] { run_timer(); });
}

void JobWorkScheduler::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    timer_wake_.notify_all();
}

MediaAnalysisJob JobWorkScheduler::settle(const MediaAnalysisJob& job, Timestamp now) {
    if (!due(job, now)) {
        return job;
    }
    const JobKey key{job.scope.account + "/" + job.scope.region, job.job_id};
    {
        std::unique_lock lock(mutex_);
        if (in_progress_.contains(key)) {
            finished_.wait(lock, [&] { return !in_progress_.contains(key); });
            lock.unlock();
            return store_.find(job.scope, job.job_id).value_or(job);
        }
        in_progress_.insert(key);
    }
    struct Release {
        JobWorkScheduler& self;
        const JobKey& key;
        ~Release() {
            {
                std::lock_guard lock(self.mutex_);
                self.in_progress_.erase(key);
            }
            self.finished_.notify_all();
        }
    } release{*this, key};
    // What the caller read may be stale: another thread may have finished the work between
    // that read and the claim, and the outputs are written once.
    const auto current = store_.find(job.scope, job.job_id);
    if (!current || !due(*current, now)) {
        return current.value_or(job);
    }
    return perform(*current);
}

MediaAnalysisJob JobWorkScheduler::perform(const MediaAnalysisJob& job) {
    WorkOutcome outcome;
    try {
        outcome = work_.perform(job);
    } catch (const std::exception& e) {
        outcome.failure = MediaAnalysisJobFailureDetails{
            MediaAnalysisJobFailureCode::InternalError,
            std::string("The job could not be processed: ") + e.what()};
    }
    MediaAnalysisJob finished = finish_work(job, outcome);
    if (!store_.finish_outputs(finished)) {
        // Reset or steered while the work ran: the store's version stands.
        return store_.find(job.scope, job.job_id).value_or(finished);
    }
    return finished;
}

void JobWorkScheduler::run_timer() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        woken_ = false;
        lock.unlock();
        std::chrono::milliseconds wait = kPollInterval;
        try {
            const auto pending = store_.pending_outputs(kBatch);
            std::size_t done = 0;
            for (const auto& job : pending) {
                const Timestamp now = clock_.now();
                if (!due(job, now)) {
                    wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(
                                              *job.completion_timestamp - now));
                    break;
                }
                settle(job, now);
                ++done;
            }
            if (done == kBatch) {
                wait = std::chrono::milliseconds(0);  // more may be due
            }
        } catch (const std::exception&) {
            // The store refused (disk full, locked): the poll retries, and requests that find
            // the job due report the error themselves.
            wait = kPollInterval;
        }
        lock.lock();
        if (wait.count() > 0) {
            timer_wake_.wait_for(lock, wait, [this] { return stopping_ || woken_; });
        }
    }
}

MediaAnalysisJob shown_at(JobWorkScheduler* work, const MediaAnalysisJob& stored, Timestamp now) {
    return job_at(work != nullptr ? work->settle(stored, now) : stored, now);
}

}  // namespace rekmock::service
