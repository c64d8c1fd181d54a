#include "schema.hpp"

#include <array>
#include <cstdint>
#include <string>

#include "job_columns.hpp"
#include "job_key.hpp"
#include "media_analysis_job.hpp"
#include "rules_sets.hpp"

namespace rekmock::storage {
namespace {

// Statements that more than one migration, or a migration and kCurrentSchema, run word for
// word, each written once. Never edit one: stores on users' volumes were written by them.
const std::string kStoreMeta = R"sql(
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL
) WITHOUT ROWID;

INSERT INTO store_meta (key, value) VALUES ('pagination_token_secret', randomblob(32));
)sql";

// One row per ClientRequestToken that started a job: the primary key makes a token start at
// most one job per scope, across threads and restarts.
const std::string kStartRequests = R"sql(
CREATE TABLE start_requests (
    account              TEXT NOT NULL,
    region               TEXT NOT NULL,
    client_request_token TEXT NOT NULL,
    fingerprint          BLOB NOT NULL,
    job_id               TEXT NOT NULL,
    PRIMARY KEY (account, region, client_request_token)
) WITHOUT ROWID;
)sql";

const std::string kRulesSets = R"sql(
CREATE TABLE rules_sets (
    id     INTEGER PRIMARY KEY,
    digest BLOB NOT NULL UNIQUE,
    text   TEXT NOT NULL
);
)sql";

const std::string kTexts = R"sql(
CREATE TABLE texts (
    id   INTEGER PRIMARY KEY,
    text TEXT NOT NULL UNIQUE
);
)sql";

// The columns of media_analysis_jobs after job_id as migration 1 made them.
const std::string kVersion1Columns = R"sql(
    creation_ms         INTEGER NOT NULL,
    job_name            TEXT,
    status              TEXT NOT NULL,
    moderation_config   INTEGER NOT NULL,
    min_confidence      REAL,
    project_version     TEXT,
    input_bucket        TEXT,
    input_name          TEXT,
    input_version       TEXT,
    output_bucket       TEXT NOT NULL,
    output_prefix       TEXT,
    kms_key_id          TEXT,
    completion_ms       INTEGER,
    failure             INTEGER NOT NULL,
    failure_code        TEXT,
    failure_message     TEXT,
    results             INTEGER NOT NULL,
    results_s3          INTEGER NOT NULL,
    results_bucket      TEXT,
    results_name        TEXT,
    results_version     TEXT,
    results_models      INTEGER NOT NULL,
    results_moderation  TEXT,
    manifest            INTEGER NOT NULL,
    manifest_s3         INTEGER NOT NULL,
    manifest_bucket     TEXT,
    manifest_name       TEXT,
    manifest_version    TEXT)sql";

// The columns of media_analysis_jobs as migration 9 made them, after the table's name.
const std::string kJobColumns = R"sql((
    job_key             INTEGER NOT NULL,
    account             INTEGER NOT NULL,
    region              INTEGER NOT NULL,
    creation_ms         INTEGER NOT NULL,
    job_id              TEXT NOT NULL,
    status              TEXT NOT NULL,
    queued_ms           INTEGER,
    completion_ms       INTEGER,
    outputs_pending     INTEGER NOT NULL DEFAULT 0,
    rules_set_id        INTEGER,
    parts               INTEGER NOT NULL,
    job_name            TEXT,
    min_confidence      REAL,
    project_version     INTEGER,
    input_bucket        INTEGER,
    input_name          TEXT,
    input_version       TEXT,
    output_bucket       INTEGER NOT NULL,
    output_prefix       INTEGER,
    kms_key_id          INTEGER,
    failure_code        INTEGER,
    failure_message     TEXT,
    results_bucket      INTEGER,
    results_name,
    results_version     TEXT,
    results_moderation  INTEGER,
    manifest_bucket     INTEGER,
    manifest_name,
    manifest_version    TEXT,
    in_progress_ms      INTEGER,
    polls_per_state     INTEGER,
    polls_seen          INTEGER NOT NULL DEFAULT 0
);
)sql";

const std::string kByScopeCreation = R"sql(
CREATE INDEX media_analysis_jobs_by_scope_creation
    ON media_analysis_jobs (account, region, creation_ms DESC, job_id DESC);
)sql";

// Loaded jobs (no schedule) whose stored status is not terminal: unfinished at every `now`.
// queued_ms (NULL in every entry) and status ride along so the count reads the index alone.
const std::string kUnfinishedLoaded = R"sql(
CREATE INDEX media_analysis_jobs_unfinished_loaded
    ON media_analysis_jobs (account, region, queued_ms, status)
    WHERE )sql" + unfinished_loaded_condition() +
                                      R"sql(;
)sql";

// Started jobs by CompletionTimestamp: those unfinished at `now` are the range completion_ms >
// now. queued_ms rides along so the count reads the index alone.
const std::string kStartedByCompletion = R"sql(
CREATE INDEX media_analysis_jobs_started_by_completion
    ON media_analysis_jobs (account, region, completion_ms, queued_ms)
    WHERE queued_ms IS NOT NULL;
)sql";

const std::string kPendingOutputs = R"sql(
CREATE INDEX media_analysis_jobs_pending_outputs
    ON media_analysis_jobs (completion_ms) WHERE outputs_pending = 1;
)sql";

const std::string kByRulesSet = R"sql(
CREATE INDEX media_analysis_jobs_by_rules_set
    ON media_analysis_jobs (rules_set_id) WHERE rules_set_id IS NOT NULL;
)sql";

// The indexes of media_analysis_jobs as migration 4 made them, then as migration 9 did.
const std::string kJobIndexesV4 =
    "\nCREATE INDEX media_analysis_jobs_by_key ON media_analysis_jobs (job_key);" +
    kByScopeCreation + kUnfinishedLoaded + kStartedByCompletion;
const std::string kJobIndexes = kJobIndexesV4 + kPendingOutputs + kByRulesSet;

// Migration N takes a store from user_version N to N+1. Append only: never edit a shipped one,
// because stores on users' volumes were written by it. The status spellings they take from the
// model are the API's, which never change.
const std::array<std::string, 9> kMigrations{
    // 1: jobs, one column per model member; presence flags keep empty structs ({}) distinct from
    // absent ones. The token secret comes from SQLite's ChaCha20 PRNG, seeded by the OS, and
    // lives in the store so that pagination tokens outlive a restart of a file-backed store.
    kStoreMeta + R"sql(
CREATE TABLE media_analysis_jobs (
    job_id              TEXT PRIMARY KEY NOT NULL,)sql" +
        kVersion1Columns + R"sql(
);

-- Serves the list order as a range scan: CreationTimestamp descending, ties by JobId descending.
CREATE INDEX media_analysis_jobs_by_creation
    ON media_analysis_jobs (creation_ms DESC, job_id DESC);
)sql",
    // 2: scopes, lifecycles and idempotency. Jobs of a version-1 store join the default scope
    // (account 000000000000, us-east-1) and keep the status they were loaded with.
    R"sql(
ALTER TABLE media_analysis_jobs ADD COLUMN account TEXT NOT NULL DEFAULT '000000000000';
ALTER TABLE media_analysis_jobs ADD COLUMN region TEXT NOT NULL DEFAULT 'us-east-1';
ALTER TABLE media_analysis_jobs ADD COLUMN queued_ms INTEGER;
ALTER TABLE media_analysis_jobs ADD COLUMN in_progress_ms INTEGER;

DROP INDEX media_analysis_jobs_by_creation;
)sql" + kByScopeCreation +
        kStartRequests,
    // 3: every Start counts its scope's unfinished jobs; these partial indexes hold only the
    // candidates, so the count reads the unfinished jobs (plus a log N descent) instead of every
    // job of the scope. The count in job_store.cpp repeats their WHERE clauses word for word
    // (the first is unfinished_loaded_condition()): SQLite uses a partial index only for a query
    // whose WHERE implies the index's. A version-2 store's jobs are indexed as they are created.
    kUnfinishedLoaded + kStartedByCompletion,
    // 4: jobs are found by an integer key (storage/job_key.hpp, a hash of the JobId) instead of
    // the JobId PRIMARY KEY. A bulk load into an empty store builds every index after the rows
    // (a sort per index, about 5x cheaper than a million random B-tree insertions), and a
    // primary key's index cannot be dropped; an index of integers also builds in half the
    // time. JobStore keeps JobIds unique: it replaces by (job_key, job_id) and checks a bulk
    // load. SQLite cannot drop a primary key, so the table is rebuilt, rowids kept, and the
    // indexes made again as migrations 2 and 3 made them (JobStore's bulk load recreates them).
    R"sql(
CREATE TABLE media_analysis_jobs_v4 (
    job_id              TEXT NOT NULL,)sql" +
        kVersion1Columns + R"sql(,
    account             TEXT NOT NULL DEFAULT '000000000000',
    region              TEXT NOT NULL DEFAULT 'us-east-1',
    queued_ms           INTEGER,
    in_progress_ms      INTEGER,
    job_key             INTEGER NOT NULL
);

INSERT INTO media_analysis_jobs_v4 (rowid, job_id, creation_ms, job_name, status,
    moderation_config, min_confidence, project_version, input_bucket, input_name, input_version,
    output_bucket, output_prefix, kms_key_id, completion_ms, failure, failure_code,
    failure_message, results, results_s3, results_bucket, results_name, results_version,
    results_models, results_moderation, manifest, manifest_s3, manifest_bucket, manifest_name,
    manifest_version, account, region, queued_ms, in_progress_ms, job_key)
SELECT rowid, job_id, creation_ms, job_name, status, moderation_config, min_confidence,
    project_version, input_bucket, input_name, input_version, output_bucket, output_prefix,
    kms_key_id, completion_ms, failure, failure_code, failure_message, results, results_s3,
    results_bucket, results_name, results_version, results_models, results_moderation, manifest,
    manifest_s3, manifest_bucket, manifest_name, manifest_version, account, region, queued_ms,
    in_progress_ms, rekmock_job_key(job_id)
FROM media_analysis_jobs;

DROP TABLE media_analysis_jobs;
ALTER TABLE media_analysis_jobs_v4 RENAME TO media_analysis_jobs;
)sql" + kJobIndexesV4,
    // 5: a job's work (its outputs in the object store) can be pending; the server finds those
    // jobs, soonest first, at start-up and whenever its completion timer fires. The partial
    // index holds only them.
    "\nALTER TABLE media_analysis_jobs ADD COLUMN outputs_pending INTEGER NOT NULL DEFAULT 0;" +
        kPendingOutputs,
    // 6: what a pending job's work needs that may change after Start (the moderation rules in
    // force when it started), kept with the job until its outputs are written.
    R"sql(
ALTER TABLE media_analysis_jobs ADD COLUMN work_plan TEXT;
)sql",
    // 7: progress by polls; the count of Get calls is kept so that a restart keeps it.
    R"sql(
ALTER TABLE media_analysis_jobs ADD COLUMN polls_per_state INTEGER;
ALTER TABLE media_analysis_jobs ADD COLUMN polls_seen INTEGER NOT NULL DEFAULT 0;
)sql",
    // 8: each distinct rules text once (storage/rules_sets.hpp), named by the jobs that froze it,
    // instead of a copy in every job's row: 50 Starts with a megabyte of rules grew the store by
    // 50 MB, and List read them all. The texts of migration 6's column move into the table and
    // their jobs name them. The partial index holds only jobs that name a set, so that finding
    // whether a set is still named is one descent.
    kRulesSets + R"sql(
ALTER TABLE media_analysis_jobs ADD COLUMN rules_set_id INTEGER;

INSERT INTO rules_sets (digest, text)
SELECT rekmock_rules_digest(work_plan), work_plan FROM media_analysis_jobs
WHERE work_plan IS NOT NULL ORDER BY rowid
ON CONFLICT (digest) DO NOTHING;

UPDATE media_analysis_jobs
SET rules_set_id = (SELECT id FROM rules_sets WHERE digest = rekmock_rules_digest(work_plan))
WHERE work_plan IS NOT NULL;

ALTER TABLE media_analysis_jobs DROP COLUMN work_plan;
)sql" + kByRulesSet,
    // 9: a job takes about 40% less room. Texts that repeat from job to job (accounts, regions,
    // buckets, key prefixes, KMS keys, model versions, failure codes) are kept once in `texts`
    // (storage/interned_texts.hpp) and the jobs name them by id, in their rows and in the
    // indexes that hold account and region; a result or manifest name that holds the JobId is
    // stored without it (rekmock_stored_name, job_columns.hpp); the seven presence flags are the
    // bits of `parts`. The names' columns have no type, so SQLite keeps each value's own (text,
    // or the blob of a stored name). The columns the indexes hold come first, so that building
    // or updating an index reads only the start of each row. The table is rebuilt, rowids kept,
    // and the indexes made again as migrations 4, 5 and 8 made them.
    kTexts + R"sql(
INSERT INTO texts (text)
SELECT value FROM (
    SELECT account AS value FROM media_analysis_jobs
    UNION SELECT region FROM media_analysis_jobs
    UNION SELECT project_version FROM media_analysis_jobs
    UNION SELECT input_bucket FROM media_analysis_jobs
    UNION SELECT output_bucket FROM media_analysis_jobs
    UNION SELECT output_prefix FROM media_analysis_jobs
    UNION SELECT kms_key_id FROM media_analysis_jobs
    UNION SELECT failure_code FROM media_analysis_jobs
    UNION SELECT results_bucket FROM media_analysis_jobs
    UNION SELECT results_moderation FROM media_analysis_jobs
    UNION SELECT manifest_bucket FROM media_analysis_jobs)
WHERE value IS NOT NULL;

CREATE TABLE media_analysis_jobs_v9 )sql" +
        kJobColumns + R"sql(
INSERT INTO media_analysis_jobs_v9 (rowid, job_key, account, region, creation_ms, job_id, status,
    queued_ms, completion_ms, outputs_pending, rules_set_id, parts, job_name, min_confidence,
    project_version, input_bucket, input_name, input_version, output_bucket, output_prefix,
    kms_key_id, failure_code, failure_message, results_bucket, results_name, results_version,
    results_moderation, manifest_bucket, manifest_name, manifest_version, in_progress_ms,
    polls_per_state, polls_seen)
SELECT rowid, job_key, (SELECT id FROM texts WHERE text = account),
    (SELECT id FROM texts WHERE text = region), creation_ms, job_id, status, queued_ms,
    completion_ms, outputs_pending, rules_set_id,
    moderation_config | (failure << 1) | (results << 2) | (results_s3 << 3) |
        (results_models << 4) | (manifest << 5) | (manifest_s3 << 6),
    job_name, min_confidence, (SELECT id FROM texts WHERE text = project_version),
    (SELECT id FROM texts WHERE text = input_bucket), input_name, input_version,
    (SELECT id FROM texts WHERE text = output_bucket),
    (SELECT id FROM texts WHERE text = output_prefix),
    (SELECT id FROM texts WHERE text = kms_key_id),
    (SELECT id FROM texts WHERE text = failure_code), failure_message,
    (SELECT id FROM texts WHERE text = results_bucket),
    rekmock_stored_name(results_name, job_id), results_version,
    (SELECT id FROM texts WHERE text = results_moderation),
    (SELECT id FROM texts WHERE text = manifest_bucket),
    rekmock_stored_name(manifest_name, job_id), manifest_version, in_progress_ms,
    polls_per_state, polls_seen
FROM media_analysis_jobs;

DROP TABLE media_analysis_jobs;
ALTER TABLE media_analysis_jobs_v9 RENAME TO media_analysis_jobs;
)sql" + kJobIndexes,
};

// The schema the migrations build, made in one step for a blank database: running them all
// took a new in-memory store 5 ms of every start-up, two of them rebuilding the jobs table.
// Each statement is the one the migrations last made of its object; schema_test checks that
// both ways lead to the same schema. A new migration changes this too.
const std::string kCurrentSchema = kStoreMeta + kStartRequests + kRulesSets + kTexts +
                                   "\nCREATE TABLE media_analysis_jobs " + kJobColumns +
                                   kJobIndexes;

// What migrate() needs to know of a file before it changes anything, read in one statement so
// that the values come from one snapshot.
struct StoreHeader {
    std::int64_t version = 0;
    std::int64_t application_id = 0;
    std::int64_t schema_objects = 0;
    bool has_store_meta = false;
};

StoreHeader read_header(Database& db) {
    Statement query(db,
                    "SELECT (SELECT user_version FROM pragma_user_version), "
                    "(SELECT application_id FROM pragma_application_id), "
                    "(SELECT count(*) FROM sqlite_master), "
                    "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                    "name = 'store_meta')");
    query.step();
    return {query.column_int64(0), query.column_int64(1), query.column_int64(2),
            query.column_int64(3) != 0};
}

std::string describe(Database& db) {
    const std::string path = db.path();
    return path.empty() ? std::string("the in-memory store") : "'" + path + "'";
}

// Whether the store is already current; throws for a file that is not a store of ours, or whose
// version no build of ours wrote, so that such a file is refused before anything touches it.
bool is_current(Database& db, const StoreHeader& header) {
    const bool ours = header.application_id == store_application_id();
    // Builds before application_id marked nothing, but always wrote store_meta and a version
    // (one out of range is refused below, as ours would be).
    const bool older_build =
        header.application_id == 0 && header.has_store_meta && header.version != 0;
    const bool blank =
        header.application_id == 0 && header.schema_objects == 0 && header.version == 0;
    if (!ours && !older_build && !blank) {
        throw StorageError(describe(db) + " is not a rekognition-mock store (application_id " +
                           std::to_string(header.application_id) + ", " +
                           std::to_string(header.schema_objects) +
                           " schema objects); refusing to change it: give --db a new file or "
                           "one of ours");
    }
    if (header.version > current_schema_version()) {
        throw StorageError(describe(db) + " has schema version " + std::to_string(header.version) +
                           ", newer than this build's " + std::to_string(current_schema_version()) +
                           "; upgrade rekognition-mock");
    }
    if (header.version < 0) {
        throw StorageError(describe(db) + " has schema version " + std::to_string(header.version) +
                           ", which no build of rekognition-mock writes; refusing to change it");
    }
    return ours && header.version == current_schema_version();
}

}  // namespace

const std::string& unfinished_loaded_condition() {
    static const std::string condition = std::string("queued_ms IS NULL AND status NOT IN ('")
                                             .append(to_string(MediaAnalysisJobStatus::Succeeded))
                                             .append("', '")
                                             .append(to_string(MediaAnalysisJobStatus::Failed))
                                             .append("')");
    return condition;
}

int current_schema_version() noexcept {
    return static_cast<int>(kMigrations.size());
}

std::int64_t store_application_id() noexcept {
    return 0x526B4D6B;  // "RkMk"
}

void migrate(Database& db) {
    define_job_key_function(db);
    define_rules_digest_function(db);
    define_stored_name_function(db);
    // A current store needs no write lock, so opening one waits for no writer.
    if (is_current(db, read_header(db))) {
        return;
    }
    // Read again under the write lock: openers of one new file take turns here, and each after
    // the first finds the schema the first wrote instead of creating it twice.
    Transaction transaction(db);
    const StoreHeader header = read_header(db);
    if (is_current(db, header)) {
        return;
    }
    if (header.version == 0) {  // a new store: made as the migrations would make it
        db.exec(kCurrentSchema);
    } else {
        for (auto version = header.version; version < current_schema_version(); ++version) {
            db.exec(kMigrations[static_cast<std::size_t>(version)]);
        }
    }
    // PRAGMA takes no bound parameters; the values are our own integers, never input.
    db.exec("PRAGMA user_version = " + std::to_string(current_schema_version()));
    db.exec("PRAGMA application_id = " + std::to_string(store_application_id()));
    transaction.commit();
}

}  // namespace rekmock::storage
