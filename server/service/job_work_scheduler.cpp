#include "job_work_scheduler.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <exception>

#include "lifecycle.hpp"
#include "would_block.hpp"

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

JobWorkScheduler::JobWorkScheduler(storage::JobStore& store, const Clock& clock, JobWork& work,
                                   unsigned threads, UsageMeter* usage)
    : store_(store), clock_(clock), work_(work), usage_(usage), pool_(std::max(1u, threads)) {}

JobWorkScheduler::~JobWorkScheduler() {
    stop(std::chrono::milliseconds(0));
    // Before the members go: a task still running uses them until it returns.
    pool_.join();
}

JobWorkScheduler::JobKey JobWorkScheduler::key_of(const MediaAnalysisJob& job) {
    return {job.scope.account + "/" + job.scope.region, job.job_id};
}

void JobWorkScheduler::start() {
    timer_ = std::thread([this] { run_timer(); });
}

bool JobWorkScheduler::stop(std::chrono::milliseconds grace) {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    timer_wake_.notify_all();
    finished_.notify_all();
    if (timer_.joinable()) {
        timer_.join();
    }
    pool_.stop();  // queued tasks are dropped: their jobs stay pending in the store
    std::unique_lock lock(mutex_);
    if (!finished_.wait_for(lock, grace, [this] { return running_ == 0; })) {
        return false;
    }
    lock.unlock();
    pool_.join();
    return true;
}

void JobWorkScheduler::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    timer_wake_.notify_all();
}

void JobWorkScheduler::run_on_pool(std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
    }
    boost::asio::post(pool_, [this, task = std::move(task)] {
        {
            std::lock_guard lock(mutex_);
            ++running_;
        }
        try {
            task();
        } catch (...) {  // NOLINT(bugprone-empty-catch): a task reports its own failures
        }
        {
            std::lock_guard lock(mutex_);
            --running_;
        }
        finished_.notify_all();
    });
}

void JobWorkScheduler::require_worker() {
    if (!blocking_allowed()) {
        throw WouldBlock([this](WouldBlock::Retry retry) { run_on_pool(std::move(retry)); });
    }
}

std::optional<std::string> JobWorkScheduler::admit(const MediaAnalysisJob& job) {
    require_worker();
    return work_.admit(job);
}

bool JobWorkScheduler::submit(const MediaAnalysisJob& job) {
    const JobKey key = key_of(job);
    {
        std::lock_guard lock(mutex_);
        if (queued_.contains(key) || in_progress_.contains(key)) {
            return false;
        }
        queued_.insert(key);
    }
    run_on_pool([this, job, key] {
        bool claimed = false;
        {
            std::lock_guard lock(mutex_);
            queued_.erase(key);
            // Claimed in the same step that leaves the queue: a waiter never sees it in neither.
            claimed = in_progress_.insert(key).second;
        }
        finished_.notify_all();
        if (claimed) {
            settle_claimed(job, key, clock_.now());
        }
    });
    return true;
}

void JobWorkScheduler::when_settled(const JobKey& key, std::function<void()> retry) {
    {
        std::lock_guard lock(mutex_);
        if (queued_.contains(key) || in_progress_.contains(key)) {
            waiters_[key].push_back(std::move(retry));
            return;
        }
    }
    run_on_pool(std::move(retry));
}

void JobWorkScheduler::release_waiters(const JobKey& key) {
    std::vector<std::function<void()>> ready;
    {
        std::lock_guard lock(mutex_);
        const auto found = waiters_.find(key);
        if (found == waiters_.end() || queued_.contains(key) || in_progress_.contains(key)) {
            return;
        }
        ready = std::move(found->second);
        waiters_.erase(found);
    }
    for (auto& retry : ready) {
        run_on_pool(std::move(retry));
    }
}

MediaAnalysisJob JobWorkScheduler::settle(const MediaAnalysisJob& job, Timestamp now) {
    if (!due(job, now)) {
        return job;
    }
    const JobKey key = key_of(job);
    if (!blocking_allowed()) {
        submit(job);
        throw WouldBlock(
            [this, key](WouldBlock::Retry retry) { when_settled(key, std::move(retry)); });
    }
    {
        std::unique_lock lock(mutex_);
        if (in_progress_.contains(key)) {
            finished_.wait(lock, [&] { return !in_progress_.contains(key); });
            lock.unlock();
            return store_.find(job.scope, job.job_id).value_or(job);
        }
        in_progress_.insert(key);
    }
    return settle_claimed(job, key, now);
}

MediaAnalysisJob JobWorkScheduler::settle_claimed(const MediaAnalysisJob& job, const JobKey& key,
                                                  Timestamp now) {
    struct Release {
        JobWorkScheduler& self;
        const JobKey& key;
        ~Release() {
            {
                std::lock_guard lock(self.mutex_);
                self.in_progress_.erase(key);
                self.woken_ = true;  // a thread is free: the timer may hand it more due work
            }
            self.finished_.notify_all();
            self.timer_wake_.notify_all();
            self.release_waiters(key);
        }
    } release{*this, key};
    // What the caller read may be stale: another thread may have finished the work between
    // that read and the claim, and the outputs are written once.
    const auto current = store_.find(job.scope, job.job_id);
    if (!current || !due(*current, now)) {
        return current.value_or(job);
    }
    store_.require_writable();  // outputs whose job cannot be finished would be written again
    return perform(*current);
}

MediaAnalysisJob JobWorkScheduler::perform(const MediaAnalysisJob& job) {
    WorkOutcome outcome;
    try {
        // The rules admit() froze at Start, read back here and only here: List, Get and the
        // timer's scan never load a job's rules.
        std::optional<std::string> frozen_rules;
        if (job.frozen_rules) {
            frozen_rules = store_.rules_text(*job.frozen_rules);
        }
        outcome = work_.perform(job, frozen_rules);
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
    if (usage_ != nullptr) {
        usage_->count_work(job.scope, job.job_id, outcome.images_processed, outcome.lines_refused);
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
            // Jobs already queued or in progress are passed over; each one finished wakes the
            // timer, so a batch of them holds up the jobs behind it only until one is done.
            const auto pending = store_.pending_outputs(kBatch);
            for (const auto& job : pending) {
                const Timestamp now = clock_.now();
                if (!due(job, now)) {
                    wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(
                                              *job.completion_timestamp - now));
                    break;
                }
                submit(job);
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
