#pragma once

// The persistent set of media analysis jobs. Safe to share between threads: one SQLite
// connection, its statements compiled once at open, every call serialized by a mutex. SQLite
// answers these queries in microseconds, so the lock is never the bottleneck of an HTTP request.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "media_analysis_job.hpp"

namespace rekmock::storage {

// Identifies a StartMediaAnalysisJob request for idempotency: its ClientRequestToken and a
// digest of every other parameter.
struct StartRequestKey {
    std::string client_request_token;
    std::vector<unsigned char> fingerprint;
};

struct StartOutcome {
    enum class Kind {
        Created,       // the job was stored
        Replayed,      // the token already started `job_id` with the same parameters
        Mismatch,      // the token already started `job_id` with other parameters
        LimitReached,  // the scope already has max_unfinished unfinished jobs; nothing stored
    };
    Kind kind;
    std::string job_id;
};

// What a load erased and stored.
struct LoadResult {
    std::int64_t jobs_deleted = 0;
    std::int64_t jobs_loaded = 0;
    // Loaded jobs that replaced a stored job with their JobId in another scope.
    std::int64_t jobs_moved = 0;
};

// Hands each job of a load to `put`, in order; throws to abandon the load.
using JobSource = std::function<void(const std::function<void(const MediaAnalysisJob&)>& put)>;

// Refuses, by throwing, a load whose source repeated a JobId; called once the jobs and the
// indexes are in, before the commit, so that it may finish on another thread meanwhile.
using JobIdsCheck = std::function<void()>;

class JobStore {
  public:
    // Opens the store at `path` (":memory:" for an embedded private store; a file uses WAL) and
    // migrates it to the current schema.
    explicit JobStore(const std::string& path);
    ~JobStore();
    JobStore(const JobStore&) = delete;
    JobStore& operator=(const JobStore&) = delete;

    // Inserts every job, replacing any stored job with the same JobId; all or nothing. A job's
    // frozen_rules must name a set this store keeps (only start() keeps new ones).
    void put_all(const std::vector<MediaAnalysisJob>& jobs);

    // Stores every job of `source` as put_all does, in one transaction that also first erases
    // `erase_scope`'s jobs and tokens (every scope when it holds std::nullopt; nothing when
    // `erase_first` is false): if `source` throws, the store is as it was. The source's JobIds
    // must be distinct: into an empty store the rows go first and the indexes are built after
    // them, and a repeated JobId then fails the load with StorageError; or, given `check`, the
    // check is the caller's own, and the store makes none.
    LoadResult load(bool erase_first, const std::optional<Scope>& erase_scope,
                    const JobSource& source, const JobIdsCheck& check = {});

    // Up to `limit` jobs of `scope` in list order, starting strictly after `after` (from the top
    // if none).
    std::vector<MediaAnalysisJob> list_page(const std::optional<JobCursor>& after,
                                            std::size_t limit, const Scope& scope = {});

    // The job `job_id` if it belongs to `scope`.
    std::optional<MediaAnalysisJob> find(const Scope& scope, std::string_view job_id);

    // Stores a started job in its scope unless `key` was seen there before or the scope already
    // has `max_unfinished` jobs unfinished at `now`; one transaction, so concurrent starts with
    // one token create one job. The job's frozen_rules name `rules` when given, a text kept once
    // however many jobs freeze it.
    StartOutcome start(const MediaAnalysisJob& job, const std::optional<StartRequestKey>& key,
                       std::int64_t max_unfinished, Timestamp now,
                       const std::optional<std::string>& rules = std::nullopt);

    // The rules text a job's frozen_rules name; StorageError when no stored job names it any
    // more (the last one finished its work or was erased meanwhile).
    std::string rules_text(RulesSetId id);

    // Up to `limit` jobs of every scope whose outputs are pending and that have a
    // CompletionTimestamp (a job steered to a running status has none), soonest first.
    std::vector<MediaAnalysisJob> pending_outputs(std::size_t limit);

    // Replaces the stored job with `job`'s JobId and scope by `job`, in one transaction, if its
    // outputs are still pending there; false, and nothing changed, when the job is gone or its
    // outputs were finished or steered past meanwhile.
    bool finish_outputs(const MediaAnalysisJob& job);

    // The job `job_id` of `scope` after `change`: it reads the stored job and returns the job to
    // store in its place, or std::nullopt to leave it; one transaction, so concurrent updates of
    // a job apply one after the other. std::nullopt when there is no such job.
    std::optional<MediaAnalysisJob> update(
        const Scope& scope, std::string_view job_id,
        const std::function<std::optional<MediaAnalysisJob>(const MediaAnalysisJob&)>& change);

    // Deletes every job and ClientRequestToken of `scope`, or of every scope when none is
    // given, and the rules sets no job names any more; returns the number of jobs deleted.
    std::int64_t erase(const std::optional<Scope>& scope);

    // How many jobs each scope holds, scopes in (account, region) order; empty scopes omitted.
    std::vector<std::pair<Scope, std::int64_t>> count_by_scope();

    // The queries whose plans tests check: a page (from the top, or after a cursor), find(),
    // and the count of unfinished jobs that start() takes.
    enum class Query { FirstPage, NextPage, Find, UnfinishedCount };

    // SQLite's plan for `query`, one line per step: how a test proves that an index serves it
    // (every page as a range scan, find() by the key index, the count by the partial indexes
    // instead of a scan of the scope).
    std::vector<std::string> query_plan(Query query);

    // The number of stored jobs.
    std::int64_t count();

    // The secret that keys pagination tokens; stable for the life of the store.
    const std::vector<unsigned char>& pagination_secret() const noexcept { return secret_; }

    // Changes after every write of ours that alters or removes stored jobs (put_all, erase,
    // load, finish_outputs), never for a job we started, which is new; and, for a file, whenever
    // another connection (another server on the same --db) committed since the last call, whatever
    // it wrote. It moves after the write commits, so a reader that saw revision r before reading a
    // job knows that job was as read for as long as r is current. Asks SQLite (PRAGMA
    // data_version) once per call on a file: call it once per request.
    std::uint64_t revision() noexcept;

    // Counts the jobs start() has created here; moves after each one commits, like revision().
    std::uint64_t insertions() const noexcept {
        return insertions_.load(std::memory_order_acquire);
    }

    // StoreFileLost when the store's file was deleted or replaced while open (then every write
    // fails with it too): work whose result could not be stored is not begun.
    void require_writable();

    // Why writes are refused, for health reports; std::nullopt while the store can keep them.
    std::optional<std::string> problem();

    // ":memory:" or the file path, for logs and health reports.
    const std::string& location() const noexcept { return location_; }

  private:
    struct Impl;
    std::int64_t erase_locked(const std::optional<Scope>& scope);
    std::optional<MediaAnalysisJob> find_locked(const Scope& scope, std::string_view job_id);
    void insert_locked(const MediaAnalysisJob& job);
    // Inserts `job`, deleting the stored job with its JobId first; true if that was in another
    // scope.
    bool replace_locked(const MediaAnalysisJob& job);
    // SQLite's count of commits by other connections to the file, as this connection saw them.
    std::int64_t read_data_version_locked();
    // StorageError if a JobId is stored twice (a bulk load that was given one twice).
    void refuse_repeated_ids_locked();
    std::string location_;
    const bool shared_;  // a file, which other processes may write; ":memory:" is ours alone
    std::vector<unsigned char> secret_;
    std::int64_t data_version_ = 0;  // guarded by mutex_
    std::mutex mutex_;
    std::atomic<std::uint64_t> revision_{0};
    std::atomic<std::uint64_t> insertions_{0};
    std::unique_ptr<Impl> impl_;
};

}  // namespace rekmock::storage
