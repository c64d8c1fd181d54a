#include "job_store.hpp"

#include <algorithm>

#include "job_key.hpp"
#include "schema.hpp"
#include "sqlite_database.hpp"

namespace rekmock::storage {
namespace {

// Column order shared by the SELECTs below and read_job(); INSERT binds the same order.
constexpr std::string_view kSelectColumns =
    "SELECT job_id, creation_ms, job_name, status, moderation_config, min_confidence, "
    "project_version, input_bucket, input_name, input_version, output_bucket, output_prefix, "
    "kms_key_id, completion_ms, failure, failure_code, failure_message, results, results_s3, "
    "results_bucket, results_name, results_version, results_models, results_moderation, "
    "manifest, manifest_s3, manifest_bucket, manifest_name, manifest_version, account, region, "
    "queued_ms, in_progress_ms "
    "FROM media_analysis_jobs WHERE account = ?4 AND region = ?5 ";

constexpr std::string_view kOrderAndLimit = " ORDER BY creation_ms DESC, job_id DESC LIMIT ?3";

// JobIds stay unique because every write that may repeat one (put_all, a load into a store
// with jobs) first deletes the job it replaces (kDeleteJob); start() inserts fresh 256-bit ids;
// a bulk load into an empty store is checked after its indexes are built.
constexpr std::string_view kInsert =
    "INSERT INTO media_analysis_jobs (job_id, creation_ms, job_name, status, "
    "moderation_config, min_confidence, project_version, input_bucket, input_name, "
    "input_version, output_bucket, output_prefix, kms_key_id, completion_ms, failure, "
    "failure_code, failure_message, results, results_s3, results_bucket, results_name, "
    "results_version, results_models, results_moderation, manifest, manifest_s3, "
    "manifest_bucket, manifest_name, manifest_version, account, region, queued_ms, "
    "in_progress_ms, job_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
    "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, "
    "?32, ?33, ?34)";

constexpr std::string_view kDeleteJob =
    "DELETE FROM media_analysis_jobs WHERE job_key = ?1 AND job_id = ?2";

std::string concat(std::string_view a, std::string_view b, std::string_view c = {}) {
    std::string sql;
    sql.reserve(a.size() + b.size() + c.size());
    sql.append(a).append(b).append(c);
    return sql;
}

std::int64_t to_millis(Timestamp t) {
    return t.time_since_epoch().count();
}
Timestamp from_millis(std::int64_t ms) {
    return Timestamp(std::chrono::milliseconds(ms));
}

std::int64_t flag(bool present) {
    return present ? 1 : 0;
}

// Binds a scope as (account, region) at `index` and `index + 1`.
void bind_scope(Statement& s, int index, const Scope& scope) {
    s.bind(index, std::string_view(scope.account));
    s.bind(index + 1, std::string_view(scope.region));
}

// Binds an optional S3Object as (present, bucket, name, version) starting at `index`; the
// object must outlive the statement's reset.
void bind_s3(Statement& s, int index, const std::optional<S3Object>& object) {
    s.bind(index, flag(object.has_value()));
    static const S3Object kEmpty;
    const S3Object& o = object ? *object : kEmpty;
    s.bind_borrowed(index + 1, o.bucket);
    s.bind_borrowed(index + 2, o.name);
    s.bind_borrowed(index + 3, o.version);
}

std::optional<S3Object> read_s3(const Statement& s, int column) {
    if (s.column_int64(column) == 0) {
        return std::nullopt;
    }
    return S3Object{s.column_optional_text(column + 1), s.column_optional_text(column + 2),
                    s.column_optional_text(column + 3)};
}

template <typename Enum>
Enum parse_stored(std::optional<Enum> parsed, std::string_view column) {
    if (!parsed) {
        throw StorageError("corrupt store: unknown value in column " + std::string(column));
    }
    return *parsed;
}

// Binds every column of `job`, which must outlive the statement's reset: text is not copied
// (a bulk load binds a million jobs).
void bind_job(Statement& s, const MediaAnalysisJob& job) {
    s.bind_borrowed(1, std::string_view(job.job_id));
    s.bind(2, to_millis(job.creation_timestamp));
    s.bind_borrowed(3, job.job_name);
    s.bind_borrowed(4, to_string(job.status));  // static text
    const auto& moderation = job.operations_config.detect_moderation_labels;
    s.bind(5, flag(moderation.has_value()));
    s.bind(6, moderation ? moderation->min_confidence : std::nullopt);
    static const std::optional<std::string> kAbsent;
    s.bind_borrowed(7, moderation ? moderation->project_version : kAbsent);
    s.bind_borrowed(8, job.input.s3_object.bucket);
    s.bind_borrowed(9, job.input.s3_object.name);
    s.bind_borrowed(10, job.input.s3_object.version);
    s.bind_borrowed(11, std::string_view(job.output_config.s3_bucket));
    s.bind_borrowed(12, job.output_config.s3_key_prefix);
    s.bind_borrowed(13, job.kms_key_id);
    s.bind(14, job.completion_timestamp
                   ? std::optional<std::int64_t>(to_millis(*job.completion_timestamp))
                   : std::nullopt);
    const auto& failure = job.failure_details;
    s.bind(15, flag(failure.has_value()));
    if (failure && failure->code) {
        s.bind_borrowed(16, to_string(*failure->code));  // static text
    } else {
        s.bind_null(16);
    }
    s.bind_borrowed(17, failure ? failure->message : kAbsent);
    const auto& results = job.results;
    s.bind(18, flag(results.has_value()));
    static const std::optional<S3Object> kNoObject;
    bind_s3(s, 19, results ? results->s3_object : kNoObject);
    s.bind(23, flag(results && results->model_versions));
    s.bind_borrowed(
        24, results && results->model_versions ? results->model_versions->moderation : kAbsent);
    const auto& manifest = job.manifest_summary;
    s.bind(25, flag(manifest.has_value()));
    bind_s3(s, 26, manifest ? manifest->s3_object : kNoObject);
    s.bind_borrowed(30, std::string_view(job.scope.account));
    s.bind_borrowed(31, std::string_view(job.scope.region));
    s.bind(32, job.schedule ? std::optional<std::int64_t>(to_millis(job.schedule->queued_at))
                            : std::nullopt);
    s.bind(33, job.schedule ? std::optional<std::int64_t>(to_millis(job.schedule->in_progress_at))
                            : std::nullopt);
    s.bind(34, job_key(job.job_id));
}

MediaAnalysisJob read_job(const Statement& s) {
    MediaAnalysisJob job;
    job.job_id = s.column_text(0);
    job.creation_timestamp = from_millis(s.column_int64(1));
    job.job_name = s.column_optional_text(2);
    job.status = parse_stored(parse_job_status(s.column_text(3)), "status");
    if (s.column_int64(4) != 0) {
        job.operations_config.detect_moderation_labels = MediaAnalysisDetectModerationLabelsConfig{
            s.column_optional_double(5), s.column_optional_text(6)};
    }
    job.input.s3_object =
        S3Object{s.column_optional_text(7), s.column_optional_text(8), s.column_optional_text(9)};
    job.output_config = MediaAnalysisOutputConfig{s.column_text(10), s.column_optional_text(11)};
    job.kms_key_id = s.column_optional_text(12);
    if (const auto completion = s.column_optional_int64(13)) {
        job.completion_timestamp = from_millis(*completion);
    }
    if (s.column_int64(14) != 0) {
        MediaAnalysisJobFailureDetails failure;
        if (const auto code = s.column_optional_text(15)) {
            failure.code = parse_stored(parse_failure_code(*code), "failure_code");
        }
        failure.message = s.column_optional_text(16);
        job.failure_details = std::move(failure);
    }
    if (s.column_int64(17) != 0) {
        MediaAnalysisResults results;
        results.s3_object = read_s3(s, 18);
        if (s.column_int64(22) != 0) {
            results.model_versions = MediaAnalysisModelVersions{s.column_optional_text(23)};
        }
        job.results = std::move(results);
    }
    if (s.column_int64(24) != 0) {
        job.manifest_summary = MediaAnalysisManifestSummary{read_s3(s, 25)};
    }
    job.scope = Scope{s.column_text(29), s.column_text(30)};
    if (!s.is_null(31) && !s.is_null(32)) {
        job.schedule =
            LifecycleSchedule{from_millis(s.column_int64(31)), from_millis(s.column_int64(32))};
    }
    return job;
}

const std::string kFirstPageSql = concat(kSelectColumns, kOrderAndLimit);
const std::string kNextPageSql =
    concat(kSelectColumns, "AND (creation_ms, job_id) < (?1, ?2)", kOrderAndLimit);
const std::string kFindSql = concat(kSelectColumns, "AND job_key = ?2 AND job_id = ?1");

// Only columns of the (account, region, creation_ms, job_id) index: SQLite answers from the
// index alone, never touching the rows.
constexpr std::string_view kSelectKeys =
    "SELECT creation_ms, job_id FROM media_analysis_jobs WHERE account = ?4 AND region = ?5 ";
const std::string kFirstKeysSql = concat(kSelectKeys, kOrderAndLimit);
const std::string kNextKeysSql =
    concat(kSelectKeys, "AND (creation_ms, job_id) < (?1, ?2)", kOrderAndLimit);

// Jobs of the scope (?1, ?2) that have not reached a terminal state at ?3: loaded (no schedule)
// with a non-terminal status, plus started ones not yet at their CompletionTimestamp. The two
// kinds are disjoint (queued_ms IS NULL or not), so the sum counts each job once. Each subquery
// repeats the WHERE of one partial index of schema migration 3 (SQLite uses a partial index only
// when the query's WHERE implies the index's), so each is a range search over unfinished jobs
// alone rather than a scan of every job of the scope; unfinished_count_plan() shows it.
constexpr std::string_view kCountUnfinishedSql =
    "SELECT (SELECT count(*) FROM media_analysis_jobs WHERE account = ?1 AND region = ?2 AND "
    "queued_ms IS NULL AND status NOT IN ('SUCCEEDED', 'FAILED')) + "
    "(SELECT count(*) FROM media_analysis_jobs WHERE account = ?1 AND region = ?2 AND "
    "queued_ms IS NOT NULL AND completion_ms > ?3)";

// Binds a page query's parameters: the cursor (?1, ?2) if any, the limit (?3), the scope (?4, ?5).
void bind_page(Statement& query, const std::optional<JobCursor>& after, std::size_t limit,
               const Scope& scope) {
    bind_scope(query, 4, scope);
    if (after) {
        query.bind(1, to_millis(after->creation_timestamp));
        query.bind(2, std::string_view(after->job_id));
    }
    query.bind(3, static_cast<std::int64_t>(limit));
}

// SQLite's plan for `sql`, one line per step. Parameters stay unbound: without STAT4 tables
// the plan does not depend on their values.
std::vector<std::string> query_plan(Database& db, std::string_view sql) {
    Statement explain(db, concat("EXPLAIN QUERY PLAN ", sql));
    std::vector<std::string> steps;
    while (explain.step()) {
        steps.push_back(explain.column_text(3));
    }
    return steps;
}

}  // namespace

struct JobStore::Impl {
    Database db;
    bool ready;  // set once pragmas and migrations ran: statements below need the tables
    Statement insert;
    Statement delete_job;
    Statement first_page;
    Statement next_page;
    Statement first_keys;
    Statement next_keys;
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

    explicit Impl(const std::string& path)
        : db(path),
          ready(prepare(db, path)),
          insert(db, kInsert),
          delete_job(db, kDeleteJob),
          first_page(db, kFirstPageSql),
          next_page(db, kNextPageSql),
          first_keys(db, kFirstKeysSql),
          next_keys(db, kNextKeysSql),
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
                         "SELECT account, region, count(*) FROM media_analysis_jobs "
                         "GROUP BY account, region ORDER BY account, region"),
          find_start_request(db,
                             "SELECT fingerprint, job_id FROM start_requests WHERE account = ?1 "
                             "AND region = ?2 AND client_request_token = ?3"),
          insert_start_request(db,
                               "INSERT INTO start_requests (account, region, "
                               "client_request_token, fingerprint, job_id) VALUES (?1, ?2, ?3, "
                               "?4, ?5)") {}

    static bool prepare(Database& db, const std::string& path) {
        db.exec("PRAGMA busy_timeout = 5000");
        // Lets the sorter that builds an index after a bulk load sort on a helper thread while
        // it reads the rows.
        db.exec("PRAGMA threads = 2");
        if (path != ":memory:") {
            // WAL lets another process (sqlite3 CLI, a backup) read while we write.
            db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL");
        }
        migrate(db);
        return true;
    }
};

JobStore::JobStore(const std::string& path) : location_(path), impl_(std::make_unique<Impl>(path)) {
    Statement secret(impl_->db, "SELECT value FROM store_meta WHERE key = ?1");
    secret.bind(1, std::string_view("pagination_token_secret"));
    if (!secret.step()) {
        throw StorageError("corrupt store: pagination token secret missing");
    }
    secret_ = secret.column_blob(0);
}

JobStore::~JobStore() = default;

void JobStore::insert_locked(const MediaAnalysisJob& job) {
    StatementScope reset(impl_->insert, StatementScope::Bindings::Keep);  // bind_job binds all
    bind_job(impl_->insert, job);
    impl_->insert.run();
}

void JobStore::replace_locked(const MediaAnalysisJob& job) {
    {
        StatementScope reset(impl_->delete_job);
        impl_->delete_job.bind(1, job_key(job.job_id));
        impl_->delete_job.bind(2, std::string_view(job.job_id));
        impl_->delete_job.run();
    }
    insert_locked(job);
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
    Statement& query = after ? impl_->next_page : impl_->first_page;
    StatementScope reset(query);
    bind_page(query, after, limit, scope);
    std::vector<MediaAnalysisJob> jobs;
    jobs.reserve(std::min<std::size_t>(limit, 128));  // a dump asks for "all": do not trust limit
    while (query.step()) {
        jobs.push_back(read_job(query));
    }
    return jobs;
}

std::vector<JobCursor> JobStore::list_keys(const std::optional<JobCursor>& after, std::size_t limit,
                                           const Scope& scope) {
    std::lock_guard lock(mutex_);
    Statement& query = after ? impl_->next_keys : impl_->first_keys;
    StatementScope reset(query);
    bind_page(query, after, limit, scope);
    std::vector<JobCursor> keys;
    keys.reserve(std::min<std::size_t>(limit, 128));
    while (query.step()) {
        keys.push_back(JobCursor{from_millis(query.column_int64(0)), query.column_text(1)});
    }
    return keys;
}

std::optional<MediaAnalysisJob> JobStore::find(const Scope& scope, std::string_view job_id) {
    std::lock_guard lock(mutex_);
    StatementScope reset(impl_->find);
    impl_->find.bind(1, job_id);
    impl_->find.bind(2, job_key(job_id));
    bind_scope(impl_->find, 4, scope);
    if (!impl_->find.step()) {
        return std::nullopt;
    }
    return read_job(impl_->find);
}

StartOutcome JobStore::start(const MediaAnalysisJob& job, const std::optional<StartRequestKey>& key,
                             std::int64_t max_unfinished, Timestamp now) {
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
    {
        Statement& count = impl_->count_unfinished;
        StatementScope reset(count);
        bind_scope(count, 1, job.scope);
        count.bind(3, to_millis(now));
        count.step();
        if (count.column_int64(0) >= max_unfinished) {
            return {StartOutcome::Kind::LimitReached, {}};
        }
    }
    insert_locked(job);
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

std::int64_t JobStore::erase(const std::optional<Scope>& scope) {
    std::lock_guard lock(mutex_);
    Transaction transaction(impl_->db);
    const std::int64_t deleted = erase_locked(scope);
    transaction.commit();
    revision_.fetch_add(1, std::memory_order_release);
    return deleted;
}

std::int64_t JobStore::erase_locked(const std::optional<Scope>& scope) {
    Statement& jobs = scope ? impl_->erase_jobs_in_scope : impl_->erase_jobs;
    Statement& requests = scope ? impl_->erase_requests_in_scope : impl_->erase_requests;
    std::int64_t deleted = 0;
    for (Statement* statement : {&jobs, &requests}) {
        StatementScope reset(*statement);
        if (scope) {
            bind_scope(*statement, 1, *scope);
        }
        statement->run();
        if (statement == &jobs) {
            deleted = impl_->db.changes();
        }
    }
    return deleted;
}

LoadResult JobStore::load(bool erase_first, const std::optional<Scope>& erase_scope,
                          const JobSource& source) {
    std::lock_guard lock(mutex_);
    Transaction transaction(impl_->db);
    LoadResult result;
    if (erase_first) {
        result.jobs_deleted = erase_locked(erase_scope);
    }
    // Into an empty store, rows then indexes: building an index sorts once, where inserting
    // a million random keys into it walks the B-tree a million times. Partial indexes stay:
    // they hold few of the loaded jobs, and building one would read every row once more.
    // Rolled back with the rest.
    std::vector<std::string> deferred_indexes;
    if (Statement any(impl_->db, "SELECT 1 FROM media_analysis_jobs LIMIT 1"); !any.step()) {
        Statement indexes(impl_->db,
                          "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                          "tbl_name = 'media_analysis_jobs' AND sql IS NOT NULL AND name IN "
                          "(SELECT name FROM pragma_index_list('media_analysis_jobs') WHERE "
                          "partial = 0) ORDER BY name");
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
        bulk ? insert_locked(job) : replace_locked(job);
        ++result.jobs_loaded;
    });
    for (const auto& sql : deferred_indexes) {
        impl_->db.exec(sql);
    }
    if (bulk) {
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

std::vector<std::string> JobStore::list_query_plan(bool after_cursor) {
    std::lock_guard lock(mutex_);
    return query_plan(impl_->db, after_cursor ? kNextPageSql : kFirstPageSql);
}

std::vector<std::string> JobStore::find_query_plan() {
    std::lock_guard lock(mutex_);
    return query_plan(impl_->db, kFindSql);
}

std::vector<std::string> JobStore::unfinished_count_plan() {
    std::lock_guard lock(mutex_);
    return query_plan(impl_->db, kCountUnfinishedSql);
}

std::int64_t JobStore::count() {
    std::lock_guard lock(mutex_);
    StatementScope scope(impl_->count);
    impl_->count.step();
    return impl_->count.column_int64(0);
}

}  // namespace rekmock::storage
