#include "job_store.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <initializer_list>
#include <thread>

#include "interned_texts.hpp"
#include "job_columns.hpp"
#include "job_key.hpp"
#include "rules_sets.hpp"
#include "schema.hpp"
#include "sqlite_database.hpp"

namespace rekmock::storage {
namespace {

// A page of a scope's jobs (?4, ?5), in list order, from the top or after the cursor (?1, ?2).
constexpr std::string_view kInScope =
    " FROM media_analysis_jobs WHERE account = ?4 AND region = ?5 ";
constexpr std::string_view kAfterCursor = "AND (creation_ms, job_id) < (?1, ?2)";
constexpr std::string_view kOrderAndLimit = " ORDER BY creation_ms DESC, job_id DESC LIMIT ?3";

// Deletes the job with JobId ?2 and says whether it was outside the scope (?3, ?4) and which
// rules set it named.
constexpr std::string_view kDeleteJob =
    "DELETE FROM media_analysis_jobs WHERE job_key = ?1 AND job_id = ?2 "
    "RETURNING account != ?3 OR region != ?4, rules_set_id";

std::string concat(std::initializer_list<std::string_view> parts) {
    std::string sql;
    for (const auto part : parts) {
        sql.append(part);
    }
    return sql;
}

// Binds a scope as (account, region) at `index` and `index + 1`: its texts, as the table of
// ClientRequestTokens holds them.
void bind_scope(Statement& s, int index, const Scope& scope) {
    s.bind(index, std::string_view(scope.account));
    s.bind(index + 1, std::string_view(scope.region));
}

// A scope as the jobs name it: the ids of its account and region among the interned texts.
struct ScopeIds {
    std::int64_t account;
    std::int64_t region;
};

// The ids of `scope`'s texts; std::nullopt when the store holds neither job nor text of it.
std::optional<ScopeIds> find_scope(InternedTexts& texts, const Scope& scope) {
    const auto account = texts.find(scope.account);
    const auto region = account ? texts.find(scope.region) : std::nullopt;
    if (!region) {
        return std::nullopt;
    }
    return ScopeIds{*account, *region};
}

// The ids of `scope`'s texts, kept now if new: inside the transaction that stores its jobs.
ScopeIds intern_scope(InternedTexts& texts, const Scope& scope) {
    return {texts.intern(scope.account), texts.intern(scope.region)};
}

// Binds a scope's ids at `index` and `index + 1`.
void bind_scope(Statement& s, int index, ScopeIds scope) {
    s.bind(index, scope.account);
    s.bind(index + 1, scope.region);
}

const std::string kSelectJobs = concat({"SELECT ", job_select_list(), kInScope});
const std::string kFirstPageSql = concat({kSelectJobs, kOrderAndLimit});
const std::string kNextPageSql = concat({kSelectJobs, kAfterCursor, kOrderAndLimit});
const std::string kFindSql = concat({kSelectJobs, "AND job_key = ?2 AND job_id = ?1"});

// Jobs whose outputs are pending, soonest first: the partial index of migration 5 holds them.
const std::string kPendingOutputsSql =
    concat({"SELECT ", job_select_list(),
            " FROM media_analysis_jobs WHERE outputs_pending = 1 AND completion_ms IS NOT NULL "
            "ORDER BY completion_ms LIMIT ?1"});
constexpr std::string_view kIsPendingSql =
    "SELECT 1 FROM media_analysis_jobs WHERE job_key = ?1 AND job_id = ?2 AND account = ?3 AND "
    "region = ?4 AND outputs_pending = 1";

// Jobs of the scope (?1, ?2) that have not reached a terminal state at ?3: loaded (no schedule)
// with a non-terminal status, plus started ones not yet at their CompletionTimestamp. The two
// kinds are disjoint (queued_ms IS NULL or not), so the sum counts each job once. Each subquery
// repeats the WHERE of one partial index of schema migration 3 (SQLite uses a partial index only
// when the query's WHERE implies the index's, and a bound status would not imply it), so each is
// a range search over unfinished jobs alone rather than a scan of every job of the scope;
// query_plan() shows it.
const std::string kCountUnfinishedSql = concat(
    {"SELECT (SELECT count(*) FROM media_analysis_jobs WHERE account = ?1 AND region = ?2 AND ",
     unfinished_loaded_condition(),
     ") + (SELECT count(*) FROM media_analysis_jobs WHERE account = ?1 AND region = ?2 AND "
     "queued_ms IS NOT NULL AND completion_ms > ?3)"});

// Binds a page query's parameters: the cursor (?1, ?2) if any, the limit (?3), the scope (?4, ?5).
void bind_page(Statement& query, const std::optional<JobCursor>& after, std::size_t limit,
               ScopeIds scope) {
    bind_scope(query, 4, scope);
    if (after) {
        query.bind(1, to_millis(after->creation_timestamp));
        query.bind(2, std::string_view(after->job_id));
    }
    query.bind(3, static_cast<std::int64_t>(limit));
}

}  // namespace

struct JobStore::Impl {
    Database db;
    bool ready;  // set once pragmas and migrations ran: statements below need the tables
    Statement insert;
    Statement delete_job;
    Statement first_page;
    Statement next_page;
    Statement find;
    Statement count;
    Statement count_unfinished;
    Statement erase_jobs;
    Statement erase_jobs_in_scope;
    Statement erase_requests;
    Statement erase_requests_in_scope;
    Statement count_by_scope;
    Statement find_start_request;
    Statement insert_start_request;
    Statement data_version;
    Statement pending_outputs;
    Statement is_pending;
    RulesSets rules_sets;
    InternedTexts texts;
    JobRows rows;

    explicit Impl(const std::string& path)
        : db(path),
          ready(prepare(db, path)),
          insert(db, job_insert_sql()),
          delete_job(db, kDeleteJob),
          first_page(db, kFirstPageSql),
          next_page(db, kNextPageSql),
          find(db, kFindSql),
          count(db, "SELECT count(*) FROM media_analysis_jobs"),
          count_unfinished(db, kCountUnfinishedSql),
          erase_jobs(db, "DELETE FROM media_analysis_jobs"),
          erase_jobs_in_scope(db,
                              "DELETE FROM media_analysis_jobs WHERE account = ?1 AND region = ?2"),
          erase_requests(db, "DELETE FROM start_requests"),
          erase_requests_in_scope(db,
                                  "DELETE FROM start_requests WHERE account = ?1 AND region = ?2"),
          count_by_scope(db,
                         "SELECT account.text, region.text, count(*) FROM media_analysis_jobs "
                         "AS jobs JOIN texts AS account ON account.id = jobs.account JOIN texts "
                         "AS region ON region.id = jobs.region GROUP BY jobs.account, "
                         "jobs.region ORDER BY account.text, region.text"),
          find_start_request(db,
                             "SELECT fingerprint, job_id FROM start_requests WHERE account = ?1 "
                             "AND region = ?2 AND client_request_token = ?3"),
          insert_start_request(db,
                               "INSERT INTO start_requests (account, region, "
                               "client_request_token, fingerprint, job_id) VALUES (?1, ?2, ?3, "
                               "?4, ?5)"),
          data_version(db, "PRAGMA data_version"),
          pending_outputs(db, kPendingOutputsSql),
          is_pending(db, kIsPendingSql),
          rules_sets(db),
          texts(db),
          rows(texts) {
        insert.skip_repeated_bindings();  // rows.bind() binds every parameter
    }

    static bool prepare(Database& db, const std::string& path) {
        db.exec("PRAGMA busy_timeout = 5000");
        // Lets the sorter that builds an index after a bulk load sort on a helper thread while
        // it reads the rows.
        db.exec("PRAGMA threads = 2");
        if (path == ":memory:") {
            // Before the first table. Each page costs SQLite's cache a header and an allocation
            // besides its bytes: about 7% of a job at 4 KiB, 3% at 8 KiB. Larger pages save
            // little more per job and cost an empty store a page per table and index. A file
            // keeps SQLite's default, which each commit writes whole pages of.
            db.exec("PRAGMA page_size = 8192");
        }
        // First, so that a file migrate() refuses is left exactly as it was.
        migrate(db);
        if (path != ":memory:") {
            // WAL lets another process (sqlite3 CLI, a backup, a second server) read while we
            // write.
            enter_wal(db);
            db.exec("PRAGMA synchronous = NORMAL");
            // A checkpoint (which fsyncs the file) every 10,000 pages of WAL rather than SQLite's
            // 1,000: Starts dirty about five pages each, so the default checkpointed a few dozen
            // times a second under load and durable Starts went 6,000/s -> 7,700/s without it. The
            // WAL then grows to about 40 MB before it is folded back; commits stay as durable.
            db.exec("PRAGMA wal_autocheckpoint = 10000");
        }
        return true;
    }

    // Switching a file to WAL needs every other connection out of it, and when two connections
    // opened at once both hold a read lock and want the switch, SQLite answers SQLITE_BUSY at
    // once rather than call the busy handler (it would deadlock). So the switch is retried,
    // within the same 5 s as any other wait on the file; once one opener has switched it, the
    // pragma only reads the mode.
    static void enter_wal(Database& db) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        for (unsigned attempt = 1;; ++attempt) {
            try {
                db.exec("PRAGMA journal_mode = WAL");
                return;
            } catch (const StorageError&) {
                if ((sqlite3_extended_errcode(db.handle()) & 0xff) != SQLITE_BUSY ||
                    std::chrono::steady_clock::now() >= deadline) {
                    throw;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(std::min(attempt, 20u)));
        }
    }
};

JobStore::JobStore(const std::string& path)
    : location_(path), shared_(path != ":memory:"), impl_(std::make_unique<Impl>(path)) {
    data_version_ = read_data_version_locked();
    Statement secret(impl_->db, "SELECT value FROM store_meta WHERE key = ?1");
    secret.bind(1, std::string_view("pagination_token_secret"));
    if (!secret.step()) {
        throw StorageError("corrupt store: pagination token secret missing");
    }
    secret_ = secret.column_blob(0);
}

JobStore::~JobStore() = default;

// JobIds stay unique because every write that may repeat one (put_all, a load into a store with
// jobs) first deletes the job it replaces (kDeleteJob); start() inserts fresh 256-bit ids; a bulk
// load into an empty store is checked after its indexes are built.
void JobStore::insert_locked(const MediaAnalysisJob& job) {
    StatementScope reset(impl_->insert, StatementScope::Bindings::Keep);  // bind() binds all
    impl_->rows.bind(impl_->insert, job);
    impl_->insert.run();
}

bool JobStore::replace_locked(const MediaAnalysisJob& job) {
    bool moved = false;
    std::optional<RulesSetId> replaced_rules;
    {
        Statement& erase = impl_->delete_job;
        StatementScope reset(erase);
        erase.bind(1, job_key(job.job_id));
        erase.bind(2, std::string_view(job.job_id));
        bind_scope(erase, 3, intern_scope(impl_->texts, job.scope));
        while (erase.step()) {
            moved = moved || erase.column_int64(0) != 0;
            if (!erase.is_null(1)) {
                replaced_rules = RulesSetId{erase.column_int64(1)};
            }
        }
    }
    insert_locked(job);
    // A job that is done with its rules (its outputs written, or steered past them) may have
    // been the last to name them.
    if (replaced_rules && replaced_rules != job.frozen_rules) {
        impl_->rules_sets.drop_if_unused(*replaced_rules);
    }
    return moved;
}

std::int64_t JobStore::read_data_version_locked() {
    StatementScope reset(impl_->data_version);
    impl_->data_version.step();
    return impl_->data_version.column_int64(0);
}

std::uint64_t JobStore::revision() noexcept {
    if (shared_) {
        std::lock_guard lock(mutex_);
        try {
            if (const auto version = read_data_version_locked(); version != data_version_) {
                data_version_ = version;
                revision_.fetch_add(1, std::memory_order_release);
            }
        } catch (const StorageError&) {
            // Unknown, so assume another process wrote: forgetting answers is always safe, and
            // the read that follows reports the failure.
            revision_.fetch_add(1, std::memory_order_release);
        }
    }
    return revision_.load(std::memory_order_acquire);
}

void JobStore::refuse_repeated_ids_locked() {
    // Keys seen twice, read from the key index alone; then whether their JobIds repeat too.
    Statement keys(impl_->db,
                   "SELECT job_key FROM media_analysis_jobs GROUP BY job_key HAVING count(*) > 1");
    while (keys.step()) {
        Statement ids(impl_->db,
                      "SELECT job_id FROM media_analysis_jobs WHERE job_key = ?1 GROUP BY job_id "
                      "HAVING count(*) > 1");
        ids.bind(1, keys.column_int64(0));
        if (ids.step()) {
            throw StorageError("JobId '" + ids.column_text(0) + "' loaded twice");
        }
    }
}

void JobStore::put_all(const std::vector<MediaAnalysisJob>& jobs) {
    std::lock_guard lock(mutex_);
    Transaction transaction(impl_->db);
    for (const auto& job : jobs) {
        replace_locked(job);
    }
    transaction.commit();
    revision_.fetch_add(1, std::memory_order_release);  // after the commit: see revision()
}

std::vector<MediaAnalysisJob> JobStore::list_page(const std::optional<JobCursor>& after,
                                                  std::size_t limit, const Scope& scope) {
    std::lock_guard lock(mutex_);
    const auto ids = find_scope(impl_->texts, scope);
    if (!ids) {
        return {};
    }
    Statement& query = after ? impl_->next_page : impl_->first_page;
    StatementScope reset(query);
    bind_page(query, after, limit, *ids);
    std::vector<MediaAnalysisJob> jobs;
    jobs.reserve(std::min<std::size_t>(limit, 128));  // a dump asks for "all": do not trust limit
    while (query.step()) {
        jobs.push_back(impl_->rows.read(query));
    }
    return jobs;
}

std::optional<MediaAnalysisJob> JobStore::find(const Scope& scope, std::string_view job_id) {
    std::lock_guard lock(mutex_);
    return find_locked(scope, job_id);
}

std::optional<MediaAnalysisJob> JobStore::find_locked(const Scope& scope, std::string_view job_id) {
    const auto ids = find_scope(impl_->texts, scope);
    if (!ids) {
        return std::nullopt;
    }
    StatementScope reset(impl_->find);
    impl_->find.bind(1, job_id);
    impl_->find.bind(2, job_key(job_id));
    bind_scope(impl_->find, 4, *ids);
    if (!impl_->find.step()) {
        return std::nullopt;
    }
    return impl_->rows.read(impl_->find);
}

std::optional<MediaAnalysisJob> JobStore::update(
    const Scope& scope, std::string_view job_id,
    const std::function<std::optional<MediaAnalysisJob>(const MediaAnalysisJob&)>& change) {
    std::lock_guard lock(mutex_);
    Transaction transaction(impl_->db);  // rolls back unless committed
    const auto stored = find_locked(scope, job_id);
    if (!stored) {
        return std::nullopt;
    }
    auto changed = change(*stored);
    if (!changed) {
        return stored;
    }
    replace_locked(*changed);
    transaction.commit();
    revision_.fetch_add(1, std::memory_order_release);
    return changed;
}

StartOutcome JobStore::start(const MediaAnalysisJob& job, const std::optional<StartRequestKey>& key,
                             std::int64_t max_unfinished, Timestamp now,
                             const std::optional<std::string>& rules) {
    // Before the lock, which every request takes: hashing a megabyte of rules takes milliseconds.
    const auto digest = rules ? rules_digest(*rules) : std::vector<unsigned char>();
    std::lock_guard lock(mutex_);
    Transaction transaction(impl_->db);
    if (key) {
        Statement& lookup = impl_->find_start_request;
        StatementScope reset(lookup);
        bind_scope(lookup, 1, job.scope);
        lookup.bind(3, std::string_view(key->client_request_token));
        if (lookup.step()) {
            const bool same = lookup.column_blob(0) == key->fingerprint;
            return {same ? StartOutcome::Kind::Replayed : StartOutcome::Kind::Mismatch,
                    lookup.column_text(1)};
        }
    }
    if (const auto ids = find_scope(impl_->texts, job.scope)) {
        Statement& count = impl_->count_unfinished;
        StatementScope reset(count);
        bind_scope(count, 1, *ids);
        count.bind(3, to_millis(now));
        count.step();
        if (count.column_int64(0) >= max_unfinished) {
            return {StartOutcome::Kind::LimitReached, {}};
        }
    } else if (max_unfinished <= 0) {  // a scope with no jobs has none unfinished
        return {StartOutcome::Kind::LimitReached, {}};
    }
    if (rules) {
        MediaAnalysisJob frozen = job;
        frozen.frozen_rules = impl_->rules_sets.intern(digest, *rules);
        insert_locked(frozen);
    } else {
        insert_locked(job);
    }
    if (key) {
        Statement& insert = impl_->insert_start_request;
        StatementScope reset(insert);
        bind_scope(insert, 1, job.scope);
        insert.bind(3, std::string_view(key->client_request_token));
        insert.bind_blob(4, key->fingerprint);
        insert.bind(5, std::string_view(job.job_id));
        insert.run();
    }
    transaction.commit();
    insertions_.fetch_add(1, std::memory_order_release);
    return {StartOutcome::Kind::Created, job.job_id};
}

std::string JobStore::rules_text(RulesSetId id) {
    std::lock_guard lock(mutex_);
    return impl_->rules_sets.text(id);
}

std::vector<MediaAnalysisJob> JobStore::pending_outputs(std::size_t limit) {
    std::lock_guard lock(mutex_);
    StatementScope reset(impl_->pending_outputs);
    impl_->pending_outputs.bind(1, static_cast<std::int64_t>(limit));
    std::vector<MediaAnalysisJob> jobs;
    while (impl_->pending_outputs.step()) {
        jobs.push_back(impl_->rows.read(impl_->pending_outputs));
    }
    return jobs;
}

bool JobStore::finish_outputs(const MediaAnalysisJob& job) {
    std::lock_guard lock(mutex_);
    Transaction transaction(impl_->db);
    {
        const auto ids = find_scope(impl_->texts, job.scope);
        if (!ids) {
            return false;
        }
        Statement& pending = impl_->is_pending;
        StatementScope reset(pending);
        pending.bind(1, job_key(job.job_id));
        pending.bind(2, std::string_view(job.job_id));
        bind_scope(pending, 3, *ids);
        if (!pending.step()) {
            return false;
        }
    }
    replace_locked(job);
    transaction.commit();
    revision_.fetch_add(1, std::memory_order_release);
    return true;
}

std::int64_t JobStore::erase(const std::optional<Scope>& scope) {
    std::lock_guard lock(mutex_);
    Transaction transaction(impl_->db);
    const std::int64_t deleted = erase_locked(scope);
    transaction.commit();
    revision_.fetch_add(1, std::memory_order_release);
    return deleted;
}

std::int64_t JobStore::erase_locked(const std::optional<Scope>& scope) {
    std::int64_t deleted = 0;
    if (!scope) {
        StatementScope reset(impl_->erase_jobs);
        impl_->erase_jobs.run();
        deleted = impl_->db.changes();
    } else if (const auto ids = find_scope(impl_->texts, *scope)) {
        StatementScope reset(impl_->erase_jobs_in_scope);
        bind_scope(impl_->erase_jobs_in_scope, 1, *ids);
        impl_->erase_jobs_in_scope.run();
        deleted = impl_->db.changes();
    }
    Statement& requests = scope ? impl_->erase_requests_in_scope : impl_->erase_requests;
    StatementScope reset(requests);
    if (scope) {
        bind_scope(requests, 1, *scope);
    }
    requests.run();
    impl_->rules_sets.drop_unused();
    return deleted;
}

LoadResult JobStore::load(bool erase_first, const std::optional<Scope>& erase_scope,
                          const JobSource& source, const JobIdsCheck& check) {
    std::lock_guard lock(mutex_);
    Transaction transaction(impl_->db);
    LoadResult result;
    if (erase_first) {
        result.jobs_deleted = erase_locked(erase_scope);
    }
    // Into an empty store, rows then indexes: building an index sorts once, where inserting
    // a million random keys into it walks the B-tree a million times. Of the partial indexes,
    // only that of unfinished loaded jobs holds loaded jobs (often many: a fixture set spans
    // the statuses), so it is built after them too; the others stay, since building one would
    // read every row once more for nothing. Rolled back with the rest.
    std::vector<std::string> deferred_indexes;
    if (Statement any(impl_->db, "SELECT 1 FROM media_analysis_jobs LIMIT 1"); !any.step()) {
        Statement indexes(impl_->db,
                          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                          "tbl_name = 'media_analysis_jobs' AND sql IS NOT NULL AND name IN "
                          "(SELECT name FROM pragma_index_list('media_analysis_jobs') WHERE "
                          "partial = 0 OR name = 'media_analysis_jobs_unfinished_loaded') "
                          "ORDER BY name");
        std::vector<std::string> names;
        while (indexes.step()) {
            names.push_back(indexes.column_text(0));
            deferred_indexes.push_back(indexes.column_text(1));
        }
        for (const auto& name : names) {
            impl_->db.exec("DROP INDEX \"" + name + "\"");  // our own names, never input
        }
    }
    const bool bulk = !deferred_indexes.empty();
    source([&](const MediaAnalysisJob& job) {
        if (bulk) {
            insert_locked(job);  // an empty store: nothing to replace, nothing moved
        } else if (replace_locked(job)) {
            ++result.jobs_moved;
        }
        ++result.jobs_loaded;
    });
    for (const auto& sql : deferred_indexes) {
        impl_->db.exec(sql);
    }
    if (check) {
        check();
    } else if (bulk) {
        refuse_repeated_ids_locked();
    }
    transaction.commit();
    revision_.fetch_add(1, std::memory_order_release);
    return result;
}

std::vector<std::pair<Scope, std::int64_t>> JobStore::count_by_scope() {
    std::lock_guard lock(mutex_);
    StatementScope reset(impl_->count_by_scope);
    std::vector<std::pair<Scope, std::int64_t>> counts;
    while (impl_->count_by_scope.step()) {
        counts.emplace_back(
            Scope{impl_->count_by_scope.column_text(0), impl_->count_by_scope.column_text(1)},
            impl_->count_by_scope.column_int64(2));
    }
    return counts;
}

std::vector<std::string> JobStore::query_plan(Query query) {
    const std::array<const std::string*, 4> sql{&kFirstPageSql, &kNextPageSql, &kFindSql,
                                                &kCountUnfinishedSql};
    std::lock_guard lock(mutex_);
    // Parameters stay unbound: without STAT4 tables the plan does not depend on their values.
    Statement explain(impl_->db, "EXPLAIN QUERY PLAN " + *sql[static_cast<std::size_t>(query)]);
    std::vector<std::string> steps;
    while (explain.step()) {
        steps.push_back(explain.column_text(3));
    }
    return steps;
}

std::int64_t JobStore::count() {
    std::lock_guard lock(mutex_);
    StatementScope scope(impl_->count);
    impl_->count.step();
    return impl_->count.column_int64(0);
}

void JobStore::require_writable() {
    if (shared_) {
        std::lock_guard lock(mutex_);
        impl_->db.require_file_in_place();
    }
}

std::optional<std::string> JobStore::problem() {
    try {
        require_writable();
    } catch (const StoreFileLost& e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

}  // namespace rekmock::storage
