#include "schema.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "job_key.hpp"
#include "job_store.hpp"
#include "rules_sets.hpp"
#include "sqlite_database.hpp"
#include "test_jobs.hpp"

using rekmock::storage::current_schema_version;
using rekmock::storage::Database;
using rekmock::storage::JobStore;
using rekmock::storage::migrate;
using rekmock::storage::Statement;
using rekmock::storage::StorageError;
using rekmock::storage::store_application_id;

namespace {

int user_version(Database& db) {
    Statement query(db, "PRAGMA user_version");
    REQUIRE(query.step());
    return static_cast<int>(query.column_int64(0));
}

std::int64_t application_id(Database& db) {
    Statement query(db, "PRAGMA application_id");
    REQUIRE(query.step());
    return query.column_int64(0);
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The message JobStore(path) refuses the file with, or "" if it opens it.
std::string refusal(const std::string& path) {
    try {
        JobStore store(path);
    } catch (const StorageError& e) {
        return e.what();
    }
    return "";
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

std::vector<unsigned char> stored_secret(Database& db) {
    Statement query(db, "SELECT value FROM store_meta WHERE key = 'pagination_token_secret'");
    REQUIRE(query.step());
    return query.column_blob(0);
}

// Schema version 1 exactly as the first migration of schema.cpp wrote it: stores on users'
// volumes look like this, so it is copied here rather than derived from the product.
constexpr std::string_view kVersion1Ddl = R"sql(
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL
) WITHOUT ROWID;

INSERT INTO store_meta (key, value) VALUES ('pagination_token_secret', randomblob(32));

CREATE TABLE media_analysis_jobs (
    job_id              TEXT PRIMARY KEY NOT NULL,
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
    manifest_version    TEXT
);

-- Serves the list order as a range scan: CreationTimestamp descending, ties by JobId descending.
CREATE INDEX media_analysis_jobs_by_creation
    ON media_analysis_jobs (creation_ms DESC, job_id DESC);
)sql";

// Two jobs as a version-1 build stored them: one IN_PROGRESS without completion, one FAILED.
constexpr std::string_view kVersion1Jobs = R"sql(
INSERT INTO media_analysis_jobs (job_id, creation_ms, job_name, status, moderation_config,
    min_confidence, project_version, input_bucket, input_name, input_version, output_bucket,
    output_prefix, kms_key_id, completion_ms, failure, failure_code, failure_message, results,
    results_s3, results_bucket, results_name, results_version, results_models,
    results_moderation, manifest, manifest_s3, manifest_bucket, manifest_name, manifest_version)
VALUES
    ('v1-running', 1700000002000, 'old-job', 'IN_PROGRESS', 1, 55.5, NULL, 'in-bucket',
     'manifests/a.jsonl', NULL, 'out-bucket', 'results/', NULL, NULL, 0, NULL, NULL, 0, 0, NULL,
     NULL, NULL, 0, NULL, 0, 0, NULL, NULL, NULL),
    ('v1-failed', 1700000001000, NULL, 'FAILED', 0, NULL, NULL, 'in-bucket', 'manifests/b.jsonl',
     NULL, 'out-bucket', NULL, NULL, 1700000009000, 1, 'THROTTLED', 'slow down', 0, 0, NULL, NULL,
     NULL, 0, NULL, 0, 0, NULL, NULL, NULL);
)sql";

// Migration 2 exactly as schema.cpp shipped it; with kVersion1Ddl it builds a version-2 store.
constexpr std::string_view kVersion2Ddl = R"sql(
ALTER TABLE media_analysis_jobs ADD COLUMN account TEXT NOT NULL DEFAULT '000000000000';
ALTER TABLE media_analysis_jobs ADD COLUMN region TEXT NOT NULL DEFAULT 'us-east-1';
ALTER TABLE media_analysis_jobs ADD COLUMN queued_ms INTEGER;
ALTER TABLE media_analysis_jobs ADD COLUMN in_progress_ms INTEGER;

DROP INDEX media_analysis_jobs_by_creation;
CREATE INDEX media_analysis_jobs_by_scope_creation
    ON media_analysis_jobs (account, region, creation_ms DESC, job_id DESC);

-- One row per ClientRequestToken that started a job: the primary key makes a token start at
-- most one job per scope, across threads and restarts.
CREATE TABLE start_requests (
    account              TEXT NOT NULL,
    region               TEXT NOT NULL,
    client_request_token TEXT NOT NULL,
    fingerprint          BLOB NOT NULL,
    job_id               TEXT NOT NULL,
    PRIMARY KEY (account, region, client_request_token)
) WITHOUT ROWID;
)sql";

// Jobs as a version-2 build stored them, beside kVersion1Jobs (loaded, default scope): two
// started by StartMediaAnalysisJob (one per account, each with its schedule and completion), a
// loaded QUEUED one in the other account, and the ClientRequestToken that started the first.
constexpr std::string_view kVersion2Jobs = R"sql(
INSERT INTO media_analysis_jobs (job_id, creation_ms, job_name, status, moderation_config,
    min_confidence, project_version, input_bucket, input_name, input_version, output_bucket,
    output_prefix, kms_key_id, completion_ms, failure, failure_code, failure_message, results,
    results_s3, results_bucket, results_name, results_version, results_models,
    results_moderation, manifest, manifest_s3, manifest_bucket, manifest_name, manifest_version,
    account, region, queued_ms, in_progress_ms)
VALUES
    ('v2-started', 1700000010000, NULL, 'SUCCEEDED', 0, NULL, NULL, 'in-bucket', 'c.jsonl', NULL,
     'out-bucket', NULL, NULL, 1700000020000, 0, NULL, NULL, 1, 1, 'out-bucket', 'r.jsonl', NULL,
     1, '7.0', 1, 1, 'out-bucket', 's.json', NULL, '000000000000', 'us-east-1', 1700000011000,
     1700000012000),
    ('v2-other-started', 1700000010000, NULL, 'FAILED', 0, NULL, NULL, 'in-bucket', 'd.jsonl',
     NULL, 'out-bucket', NULL, NULL, 1700000030000, 1, 'INVALID_MANIFEST', 'bad', 0, 0, NULL,
     NULL, NULL, 0, NULL, 0, 0, NULL, NULL, NULL, '111122223333', 'us-east-1', 1700000011000,
     1700000012000),
    ('v2-other-queued', 1700000000500, NULL, 'QUEUED', 0, NULL, NULL, 'in-bucket', 'e.jsonl',
     NULL, 'out-bucket', NULL, NULL, NULL, 0, NULL, NULL, 0, 0, NULL, NULL, NULL, 0, NULL, 0, 0,
     NULL, NULL, NULL, '111122223333', 'us-east-1', NULL, NULL);

INSERT INTO start_requests (account, region, client_request_token, fingerprint, job_id)
VALUES ('000000000000', 'us-east-1', 'v2-token', zeroblob(32), 'v2-started');
)sql";

// A version-7 store as migrations 1 to 7 of schema.cpp left it, its columns in their order: the
// stores whose jobs hold a copy of their rules each (work_plan).
constexpr std::string_view kVersion7Ddl = R"sql(
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL
) WITHOUT ROWID;

INSERT INTO store_meta (key, value) VALUES ('pagination_token_secret', randomblob(32));

CREATE TABLE media_analysis_jobs (
    job_id              TEXT NOT NULL,
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
    manifest_version    TEXT,
    account             TEXT NOT NULL DEFAULT '000000000000',
    region              TEXT NOT NULL DEFAULT 'us-east-1',
    queued_ms           INTEGER,
    in_progress_ms      INTEGER,
    job_key             INTEGER NOT NULL,
    outputs_pending     INTEGER NOT NULL DEFAULT 0,
    work_plan           TEXT,
    polls_per_state     INTEGER,
    polls_seen          INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX media_analysis_jobs_by_key ON media_analysis_jobs (job_key);
CREATE INDEX media_analysis_jobs_by_scope_creation
    ON media_analysis_jobs (account, region, creation_ms DESC, job_id DESC);
CREATE INDEX media_analysis_jobs_unfinished_loaded
    ON media_analysis_jobs (account, region, queued_ms, status)
    WHERE queued_ms IS NULL AND status NOT IN ('SUCCEEDED', 'FAILED');
CREATE INDEX media_analysis_jobs_started_by_completion
    ON media_analysis_jobs (account, region, completion_ms, queued_ms)
    WHERE queued_ms IS NOT NULL;
CREATE INDEX media_analysis_jobs_pending_outputs
    ON media_analysis_jobs (completion_ms) WHERE outputs_pending = 1;

CREATE TABLE start_requests (
    account              TEXT NOT NULL,
    region               TEXT NOT NULL,
    client_request_token TEXT NOT NULL,
    fingerprint          BLOB NOT NULL,
    job_id               TEXT NOT NULL,
    PRIMARY KEY (account, region, client_request_token)
) WITHOUT ROWID;
)sql";

// Jobs as a version-7 build stored them: three started with their work pending, two of them
// with one rules text (?1) and one with another (?2), and one whose work is done. Needs
// rekmock_job_key, as a version-7 build computed the keys in C++.
constexpr std::string_view kVersion7Jobs = R"sql(
INSERT INTO media_analysis_jobs (job_id, creation_ms, status, moderation_config, output_bucket,
    completion_ms, failure, results, results_s3, results_models, manifest, manifest_s3,
    queued_ms, in_progress_ms, job_key, outputs_pending, work_plan)
VALUES
    ('first-a', 1700000001000, 'SUCCEEDED', 1, 'out', 1700000009000, 0, 0, 0, 0, 0, 0,
     1700000002000, 1700000003000, rekmock_job_key('first-a'), 1, ?1),
    ('only-b', 1700000002000, 'SUCCEEDED', 1, 'out', 1700000008000, 0, 0, 0, 0, 0, 0,
     1700000003000, 1700000004000, rekmock_job_key('only-b'), 1, ?2),
    ('second-a', 1700000003000, 'SUCCEEDED', 1, 'out', 1700000007000, 0, 0, 0, 0, 0, 0,
     1700000004000, 1700000005000, rekmock_job_key('second-a'), 1, ?1),
    ('done', 1700000000000, 'SUCCEEDED', 1, 'out', 1700000000500, 0, 0, 0, 0, 0, 0,
     1700000000100, 1700000000200, rekmock_job_key('done'), 0, NULL)
)sql";

// Migration 8 exactly as schema.cpp shipped it: on a version-7 store (kVersion7Ddl) it builds a
// version-8 store. Needs rekmock_rules_digest.
constexpr std::string_view kMigration8 = R"sql(
CREATE TABLE rules_sets (
    id     INTEGER PRIMARY KEY,
    digest BLOB NOT NULL UNIQUE,
    text   TEXT NOT NULL
);

ALTER TABLE media_analysis_jobs ADD COLUMN rules_set_id INTEGER;

INSERT INTO rules_sets (digest, text)
SELECT rekmock_rules_digest(work_plan), work_plan FROM media_analysis_jobs
WHERE work_plan IS NOT NULL ORDER BY rowid
ON CONFLICT (digest) DO NOTHING;

UPDATE media_analysis_jobs
SET rules_set_id = (SELECT id FROM rules_sets WHERE digest = rekmock_rules_digest(work_plan))
WHERE work_plan IS NOT NULL;

ALTER TABLE media_analysis_jobs DROP COLUMN work_plan;

CREATE INDEX media_analysis_jobs_by_rules_set
    ON media_analysis_jobs (rules_set_id) WHERE rules_set_id IS NOT NULL;
)sql";

// Binds an optional value, as a version-8 build did (NULL when absent).
template <typename T>
void bind_optional(Statement& s, int index, const std::optional<T>& value) {
    value ? s.bind(index, *value) : s.bind_null(index);
}

// Stores `job` as a version-8 build did: every member in its own column, texts as text, enums in
// their model spelling, timestamps in milliseconds, presence flags for the optional parts.
void insert_version8_job(Database& db, const rekmock::MediaAnalysisJob& job) {
    Statement insert(db, R"sql(
INSERT INTO media_analysis_jobs (job_id, creation_ms, job_name, status, moderation_config,
    min_confidence, project_version, input_bucket, input_name, input_version, output_bucket,
    output_prefix, kms_key_id, completion_ms, failure, failure_code, failure_message, results,
    results_s3, results_bucket, results_name, results_version, results_models,
    results_moderation, manifest, manifest_s3, manifest_bucket, manifest_name, manifest_version,
    account, region, queued_ms, in_progress_ms, job_key, outputs_pending, polls_per_state,
    polls_seen, rules_set_id)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
    ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38)
)sql");
    const auto millis = [](rekmock::Timestamp t) { return t.time_since_epoch().count(); };
    const auto flag = [](bool present) { return std::int64_t{present ? 1 : 0}; };
    const auto& moderation = job.operations_config.detect_moderation_labels;
    insert.bind(1, std::string_view(job.job_id));
    insert.bind(2, millis(job.creation_timestamp));
    bind_optional(insert, 3, job.job_name);
    insert.bind(4, rekmock::to_string(job.status));
    insert.bind(5, flag(moderation.has_value()));
    bind_optional(insert, 6, moderation ? moderation->min_confidence : std::nullopt);
    bind_optional(insert, 7, moderation ? moderation->project_version : std::nullopt);
    bind_optional(insert, 8, job.input.s3_object.bucket);
    bind_optional(insert, 9, job.input.s3_object.name);
    bind_optional(insert, 10, job.input.s3_object.version);
    insert.bind(11, std::string_view(job.output_config.s3_bucket));
    bind_optional(insert, 12, job.output_config.s3_key_prefix);
    bind_optional(insert, 13, job.kms_key_id);
    job.completion_timestamp ? insert.bind(14, millis(*job.completion_timestamp))
                             : insert.bind_null(14);
    const auto& failure = job.failure_details;
    insert.bind(15, flag(failure.has_value()));
    failure && failure->code ? insert.bind(16, rekmock::to_string(*failure->code))
                             : insert.bind_null(16);
    bind_optional(insert, 17, failure ? failure->message : std::nullopt);
    const auto& results = job.results;
    const auto* results_s3 = results && results->s3_object ? &*results->s3_object : nullptr;
    const auto* models = results && results->model_versions ? &*results->model_versions : nullptr;
    insert.bind(18, flag(results.has_value()));
    insert.bind(19, flag(results_s3 != nullptr));
    bind_optional(insert, 20, results_s3 ? results_s3->bucket : std::nullopt);
    bind_optional(insert, 21, results_s3 ? results_s3->name : std::nullopt);
    bind_optional(insert, 22, results_s3 ? results_s3->version : std::nullopt);
    insert.bind(23, flag(models != nullptr));
    bind_optional(insert, 24, models ? models->moderation : std::nullopt);
    const auto& manifest = job.manifest_summary;
    const auto* manifest_s3 = manifest && manifest->s3_object ? &*manifest->s3_object : nullptr;
    insert.bind(25, flag(manifest.has_value()));
    insert.bind(26, flag(manifest_s3 != nullptr));
    bind_optional(insert, 27, manifest_s3 ? manifest_s3->bucket : std::nullopt);
    bind_optional(insert, 28, manifest_s3 ? manifest_s3->name : std::nullopt);
    bind_optional(insert, 29, manifest_s3 ? manifest_s3->version : std::nullopt);
    insert.bind(30, std::string_view(job.scope.account));
    insert.bind(31, std::string_view(job.scope.region));
    job.schedule ? insert.bind(32, millis(job.schedule->queued_at)) : insert.bind_null(32);
    job.schedule ? insert.bind(33, millis(job.schedule->in_progress_at)) : insert.bind_null(33);
    insert.bind(34, rekmock::storage::job_key(job.job_id));
    insert.bind(35, flag(job.outputs_pending));
    bind_optional(insert, 36, job.polls_per_state);
    insert.bind(37, job.polls_seen);
    job.frozen_rules ? insert.bind(38, static_cast<std::int64_t>(*job.frozen_rules))
                     : insert.bind_null(38);
    insert.run();
}

// Jobs a version-8 build stored, between them every member present, empty and absent: the rich
// jobs of the model tests, and Started jobs whose output names hold their JobIds as the
// lifecycle names them, one in another scope, one with its work and rules pending, one paced by
// polls.
std::vector<rekmock::MediaAnalysisJob> version8_jobs(rekmock::RulesSetId rules) {
    auto jobs = rekmock::testing::rich_jobs();
    const std::string id(64, 'c');
    auto started = rekmock::testing::make_job(id, 1727784000250);  // ties with full-job
    started.scope = rekmock::Scope{"111122223333", "eu-west-1"};
    started.status = rekmock::MediaAnalysisJobStatus::Succeeded;
    started.schedule = rekmock::LifecycleSchedule{rekmock::testing::at_millis(1727784000300),
                                                  rekmock::testing::at_millis(1727784000400)};
    started.completion_timestamp = rekmock::testing::at_millis(1727784000500);
    started.output_config.s3_key_prefix = "out";
    started.results = rekmock::MediaAnalysisResults{
        rekmock::S3Object{"output-bucket", "out/" + id + "-results.jsonl", std::nullopt},
        rekmock::MediaAnalysisModelVersions{"7.0"}};
    started.manifest_summary = rekmock::MediaAnalysisManifestSummary{
        rekmock::S3Object{"output-bucket", "out/" + id + "-manifest-summary.json", std::nullopt}};
    jobs.push_back(started);

    auto pending = started;
    pending.job_id = std::string(64, 'd');
    pending.scope = rekmock::Scope{};
    pending.results->s3_object->name = "out/" + pending.job_id + "-results.jsonl";
    pending.manifest_summary->s3_object->name = "out/" + pending.job_id + "/" + pending.job_id;
    pending.outputs_pending = true;
    pending.frozen_rules = rules;
    jobs.push_back(pending);

    auto polled = rekmock::testing::make_job("polled", 1727784000600);
    polled.polls_per_state = 3;
    polled.polls_seen = 2;
    polled.kms_key_id = "alias/my-key";  // as models-only names it
    jobs.push_back(polled);
    return jobs;
}

// The first `columns` columns of each row of `sql` (whose parameter ?1, if any, is `name`).
std::string rows_of(Database& db, const std::string& sql, int columns,
                    const std::string& name = {}) {
    Statement query(db, sql);
    if (!name.empty()) {
        query.bind(1, std::string_view(name));
    }
    std::string rows;
    while (query.step()) {
        for (int column = 0; column < columns; ++column) {
            rows += (query.is_null(column) ? "NULL" : query.column_text(column)) + "|";
        }
        rows += "\n";
    }
    return rows;
}

// The schema of `db` as SQLite describes it: each table's kind and columns, each index's
// columns, order, uniqueness and text (its WHERE), the version and the mark.
std::string schema_of(Database& db) {
    std::string schema =
        rows_of(db, "PRAGMA user_version", 1) + rows_of(db, "PRAGMA application_id", 1);
    std::vector<std::string> tables;
    Statement list(db,
                   "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
                   "AND name NOT LIKE 'sqlite_%' ORDER BY name");
    while (list.step()) {
        tables.push_back(list.column_text(0));
    }
    for (const auto& table : tables) {
        schema += "table " + table + "\n" +
                  rows_of(db,
                          "SELECT wr, strict FROM pragma_table_list WHERE schema = 'main' AND "
                          "name = ?1",
                          2, table) +
                  rows_of(db,
                          "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM "
                          "pragma_table_info(?1) ORDER BY cid",
                          6, table);
        std::vector<std::string> indexes;
        Statement index_list(db, "SELECT name FROM pragma_index_list(?1) ORDER BY name");
        index_list.bind(1, std::string_view(table));
        while (index_list.step()) {
            indexes.push_back(index_list.column_text(0));
        }
        for (const auto& index : indexes) {
            schema += "index " + index + "\n" +
                      rows_of(db,
                              "SELECT \"unique\", origin, partial FROM pragma_index_list(?1) "
                              "WHERE name = '" +
                                  index + "'",
                              3, table) +
                      rows_of(db,
                              "SELECT seqno, cid, name, \"desc\", coll, key FROM "
                              "pragma_index_xinfo(?1) ORDER BY seqno",
                              6, index) +
                      rows_of(db, "SELECT sql FROM sqlite_master WHERE name = ?1", 1, index);
        }
    }
    return schema;
}

// A job as StartMediaAnalysisJob stores it in `scope`, finishing at `completion_millis`.
rekmock::MediaAnalysisJob started_job(const std::string& id, std::int64_t creation_millis,
                                      std::int64_t completion_millis, const rekmock::Scope& scope) {
    auto job = rekmock::testing::make_job(id, creation_millis);
    job.scope = scope;
    job.status = rekmock::MediaAnalysisJobStatus::Succeeded;
    job.schedule = rekmock::LifecycleSchedule{rekmock::testing::at_millis(creation_millis),
                                              rekmock::testing::at_millis(creation_millis)};
    job.completion_timestamp = rekmock::testing::at_millis(completion_millis);
    return job;
}

std::int64_t count_of(Database& db, const std::string& sql) {
    Statement query(db, sql);
    REQUIRE(query.step());
    return query.column_int64(0);
}

}  // namespace

TEST_SUITE("schema") {
    TEST_CASE("migrate brings a new database to the current schema version") {
        Database db(":memory:");
        CHECK(user_version(db) == 0);
        migrate(db);
        CHECK(current_schema_version() >= 1);
        CHECK(user_version(db) == current_schema_version());
        Statement tables(db,
                         "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                         "('store_meta', 'media_analysis_jobs')");
        REQUIRE(tables.step());
        CHECK(tables.column_int64(0) == 2);
        CHECK(stored_secret(db).size() == 32);
    }

    TEST_CASE("migrate is idempotent and keeps the secret") {
        Database db(":memory:");
        migrate(db);
        const auto secret = stored_secret(db);
        migrate(db);
        CHECK(user_version(db) == current_schema_version());
        CHECK(stored_secret(db) == secret);
    }

    TEST_CASE("a store written by a newer build is refused") {
        SUBCASE("migrate on a database") {
            Database db(":memory:");
            migrate(db);
            db.exec("PRAGMA user_version = " + std::to_string(current_schema_version() + 1));
            CHECK_THROWS_AS(migrate(db), StorageError);
        }
        SUBCASE("JobStore on a file") {
            const rekmock::testing::TempPath path(".db");
            { JobStore store(path.str()); }
            {
                Database db(path.str());
                db.exec("PRAGMA user_version = " + std::to_string(current_schema_version() + 5));
            }
            bool refused = false;
            try {
                JobStore store(path.str());
            } catch (const StorageError& e) {
                refused = true;
                CHECK(std::string(e.what()).find("newer") != std::string::npos);
            }
            CHECK(refused);
        }
    }

    TEST_CASE("a schema version below zero is refused, the file untouched") {
        SUBCASE("migrate on a database") {
            Database db(":memory:");
            migrate(db);
            db.exec("PRAGMA user_version = -1");
            CHECK_THROWS_AS(migrate(db), StorageError);
            CHECK(user_version(db) == -1);
            CHECK(count_of(db, "SELECT count(*) FROM media_analysis_jobs") == 0);
        }
        SUBCASE("JobStore on a file") {
            const rekmock::testing::TempPath path(".db");
            {
                JobStore store(path.str());
                store.put_all({rekmock::testing::make_job("kept", 1000)});
            }
            for (const int version : {-1, -2147483647 - 1}) {
                INFO(version);
                {
                    Database db(path.str());
                    db.exec("PRAGMA user_version = " + std::to_string(version));
                }
                const std::string before = file_bytes(path.str());
                const std::string message = refusal(path.str());
                CHECK(contains(message, "schema version " + std::to_string(version)));
                CHECK(contains(message, path.str()));
                CHECK(file_bytes(path.str()) == before);
            }
        }
    }

    TEST_CASE("another application's database is refused, the file untouched") {
        const rekmock::testing::TempPath path(".db");
        SUBCASE("tables, no application id") {
            Database db(path.str());
            db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
        }
        SUBCASE("another application id") {
            Database db(path.str());
            db.exec("PRAGMA application_id = 42");
        }
        SUBCASE("our tables' names, but no version and no mark") {
            Database db(path.str());
            db.exec("CREATE TABLE store_meta (key TEXT, value BLOB)");
        }
        const std::string before = file_bytes(path.str());
        const std::string message = refusal(path.str());
        CHECK(contains(message, "not a rekognition-mock store"));
        CHECK(contains(message, path.str()));
        CHECK(file_bytes(path.str()) == before);
        Database db(path.str());
        CHECK(count_of(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'media%'") == 0);
    }

    TEST_CASE("a store is marked with the application id, one of an older build is marked") {
        Database db(":memory:");
        migrate(db);
        CHECK(application_id(db) == store_application_id());
        CHECK(store_application_id() == 0x526B4D6B);  // documented in README: never change it
        db.exec("PRAGMA application_id = 0");         // as builds before the mark left it
        migrate(db);
        CHECK(application_id(db) == store_application_id());
        CHECK(user_version(db) == current_schema_version());
    }

    TEST_CASE("stores opened at once on a new file take turns creating the schema") {
        const rekmock::testing::TempPath path(".db");
        std::vector<std::string> errors(8);
        std::vector<std::vector<unsigned char>> secrets(errors.size());
        {
            std::vector<std::jthread> openers;
            for (std::size_t i = 0; i < errors.size(); ++i) {
                openers.emplace_back([&, i] {
                    try {
                        JobStore store(path.str());
                        secrets[i] = store.pagination_secret();
                    } catch (const StorageError& e) {
                        errors[i] = e.what();
                    }
                });
            }
        }
        for (std::size_t i = 0; i < errors.size(); ++i) {
            INFO(errors[i]);
            CHECK(errors[i].empty());
            CHECK(secrets[i] == secrets[0]);
        }
        Database db(path.str());
        CHECK(user_version(db) == current_schema_version());
        CHECK(count_of(db, "SELECT count(*) FROM store_meta") == 1);
    }

    TEST_CASE("a file store records the current schema version") {
        const rekmock::testing::TempPath path(".db");
        { JobStore store(path.str()); }
        Database db(path.str());
        CHECK(user_version(db) == current_schema_version());
    }

    TEST_CASE("a version-1 store migrates to version 2 keeping its jobs in the default scope") {
        const rekmock::testing::TempPath path(".db");
        std::vector<unsigned char> secret;
        {
            Database db(path.str());
            db.exec(kVersion1Ddl);
            db.exec(kVersion1Jobs);
            db.exec("PRAGMA user_version = 1");
            secret = stored_secret(db);
        }
        std::vector<rekmock::MediaAnalysisJob> listed;
        {
            JobStore store(path.str());
            CHECK(store.pagination_secret() == secret);
            CHECK(store.count() == 2);
            listed = store.list_page(std::nullopt, 10);
            CHECK(store.list_page(std::nullopt, 10, rekmock::Scope{"111122223333", "us-east-1"})
                      .empty());
            CHECK(store.list_page(std::nullopt, 10, rekmock::Scope{"000000000000", "eu-west-1"})
                      .empty());
            const auto found = store.find(rekmock::Scope{}, "v1-failed");
            REQUIRE(found.has_value());
            CHECK(found->status == rekmock::MediaAnalysisJobStatus::Failed);
        }
        REQUIRE(listed.size() == 2);
        CHECK(listed[0].job_id == "v1-running");
        CHECK(listed[0].scope == rekmock::Scope{});
        CHECK(listed[0].scope.account == "000000000000");
        CHECK(listed[0].scope.region == "us-east-1");
        CHECK_FALSE(listed[0].schedule.has_value());
        CHECK(listed[0].status == rekmock::MediaAnalysisJobStatus::InProgress);
        CHECK(listed[0].job_name == "old-job");
        CHECK(listed[0].output_config.s3_key_prefix == "results/");
        REQUIRE(listed[0].operations_config.detect_moderation_labels.has_value());
        CHECK(listed[0].operations_config.detect_moderation_labels->min_confidence == 55.5);
        CHECK_FALSE(listed[0].completion_timestamp.has_value());
        CHECK(listed[1].job_id == "v1-failed");
        CHECK(listed[1].scope == rekmock::Scope{});
        CHECK_FALSE(listed[1].schedule.has_value());
        CHECK(listed[1].status == rekmock::MediaAnalysisJobStatus::Failed);
        REQUIRE(listed[1].failure_details.has_value());
        CHECK(listed[1].failure_details->code == rekmock::MediaAnalysisJobFailureCode::Throttled);
        CHECK(listed[1].completion_timestamp == rekmock::testing::at_millis(1700000009000));

        Database db(path.str());
        CHECK(user_version(db) == current_schema_version());
        CHECK(count_of(db,
                       "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = "
                       "'media_analysis_jobs_by_scope_creation'") == 1);
        CHECK(count_of(db,
                       "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = "
                       "'media_analysis_jobs_by_creation'") == 0);
        CHECK(count_of(db,
                       "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                       "'start_requests'") == 1);
        CHECK(count_of(db, "SELECT count(*) FROM start_requests") == 0);
        CHECK(count_of(db,
                       "SELECT count(*) FROM media_analysis_jobs WHERE account = (SELECT id FROM "
                       "texts WHERE text = '000000000000') AND region = (SELECT id FROM texts "
                       "WHERE text = 'us-east-1') AND queued_ms IS NULL AND in_progress_ms IS "
                       "NULL") == 2);
    }

    TEST_CASE("migration 2 adds the scope and lifecycle columns and the start_requests table") {
        Database db(":memory:");
        migrate(db);
        CHECK(current_schema_version() >= 2);
        for (const char* column : {"account", "region", "queued_ms", "in_progress_ms"}) {
            INFO(std::string(column));
            CHECK(count_of(db, std::string("SELECT count(*) FROM pragma_table_info("
                                           "'media_analysis_jobs') WHERE name = '") +
                                   column + "'") == 1);
        }
        for (const char* column :
             {"account", "region", "client_request_token", "fingerprint", "job_id"}) {
            INFO(std::string(column));
            CHECK(count_of(db, std::string("SELECT count(*) FROM pragma_table_info("
                                           "'start_requests') WHERE name = '") +
                                   column + "'") == 1);
        }
    }

    TEST_CASE("migration 3 adds the partial indexes that serve the unfinished count") {
        Database db(":memory:");
        migrate(db);
        CHECK(current_schema_version() >= 3);
        for (const char* index : {"media_analysis_jobs_unfinished_loaded",
                                  "media_analysis_jobs_started_by_completion"}) {
            INFO(std::string(index));
            CHECK(
                count_of(db, std::string("SELECT count(*) FROM pragma_index_list("
                                         "'media_analysis_jobs') WHERE partial = 1 AND name = '") +
                                 index + "'") == 1);
        }
    }

    TEST_CASE("the partial index of unfinished loaded jobs is as migrations 3 and 4 wrote it") {
        Database db(":memory:");
        migrate(db);
        Statement index(db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1");
        index.bind(1, std::string_view("media_analysis_jobs_unfinished_loaded"));
        REQUIRE(index.step());
        CHECK(index.column_text(0) ==
              "CREATE INDEX media_analysis_jobs_unfinished_loaded\n"
              "    ON media_analysis_jobs (account, region, queued_ms, status)\n"
              "    WHERE queued_ms IS NULL AND status NOT IN ('SUCCEEDED', 'FAILED')");
    }

    TEST_CASE("migration 4 finds jobs by an integer key index, not a JobId primary key") {
        Database db(":memory:");
        migrate(db);
        CHECK(current_schema_version() >= 4);
        CHECK(count_of(db,
                       "SELECT count(*) FROM pragma_table_info('media_analysis_jobs') "
                       "WHERE pk != 0") == 0);
        CHECK(count_of(db,
                       "SELECT count(*) FROM pragma_index_list('media_analysis_jobs') "
                       "WHERE origin = 'pk' OR origin = 'u'") == 0);
        CHECK(count_of(db,
                       "SELECT count(*) FROM pragma_index_info('media_analysis_jobs_by_key') "
                       "WHERE name = 'job_key'") == 1);
        // Migration 4's four, 5's and 8's.
        CHECK(count_of(db,
                       "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                       "tbl_name = 'media_analysis_jobs' AND sql IS NOT NULL") == 6);
    }

    TEST_CASE("migration 5 indexes only the jobs whose outputs are pending") {
        Database db(":memory:");
        migrate(db);
        CHECK(current_schema_version() >= 5);
        Statement index(db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1");
        index.bind(1, std::string_view("media_analysis_jobs_pending_outputs"));
        REQUIRE(index.step());
        CHECK(index.column_text(0) ==
              "CREATE INDEX media_analysis_jobs_pending_outputs\n"
              "    ON media_analysis_jobs (completion_ms) WHERE outputs_pending = 1");
        CHECK(count_of(db,
                       "SELECT count(*) FROM pragma_table_info('media_analysis_jobs') WHERE "
                       "name = 'outputs_pending' AND \"notnull\" = 1 AND dflt_value = '0'") == 1);
    }

    TEST_CASE("migration 7 adds progress by polls: none for the jobs already stored") {
        Database db(":memory:");
        migrate(db);
        CHECK(current_schema_version() >= 7);
        CHECK(count_of(db,
                       "SELECT count(*) FROM pragma_table_info('media_analysis_jobs') WHERE "
                       "(name = 'polls_per_state' AND \"notnull\" = 0 AND dflt_value IS NULL) "
                       "OR (name = 'polls_seen' AND \"notnull\" = 1 AND dflt_value = '0')") == 2);
    }

    TEST_CASE("migration 8 keeps rules sets apart from their jobs, which name them by id") {
        Database db(":memory:");
        migrate(db);
        CHECK(current_schema_version() >= 8);
        CHECK(count_of(db,
                       "SELECT count(*) FROM pragma_table_info('media_analysis_jobs') WHERE "
                       "name = 'work_plan'") == 0);
        CHECK(count_of(db,
                       "SELECT count(*) FROM pragma_table_info('media_analysis_jobs') WHERE "
                       "name = 'rules_set_id' AND type = 'INTEGER' AND \"notnull\" = 0") == 1);
        CHECK(count_of(db,
                       "SELECT count(*) FROM pragma_table_info('rules_sets') WHERE "
                       "(name = 'id' AND pk = 1) OR (name = 'digest' AND type = 'BLOB' AND "
                       "\"notnull\" = 1) OR (name = 'text' AND type = 'TEXT' AND "
                       "\"notnull\" = 1)") == 3);
        // A text is found by its digest, and kept once.
        CHECK(count_of(db,
                       "SELECT count(*) FROM pragma_index_list('rules_sets') AS list, "
                       "pragma_index_info(list.name) AS info WHERE list.\"unique\" = 1 AND "
                       "info.name = 'digest'") == 1);
        Statement index(db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1");
        index.bind(1, std::string_view("media_analysis_jobs_by_rules_set"));
        REQUIRE(index.step());
        CHECK(index.column_text(0) ==
              "CREATE INDEX media_analysis_jobs_by_rules_set\n"
              "    ON media_analysis_jobs (rules_set_id) WHERE rules_set_id IS NOT NULL");
    }

    TEST_CASE("a version-7 store migrates its jobs' copies of their rules to one set per text") {
        const rekmock::testing::TempPath path(".db");
        const std::string text_a(300000, 'a');  // spans overflow pages, as real rules do
        const std::string text_b = R"([{"SourceRef":"s3://b/x.jpg","Labels":[]}])";
        {
            Database db(path.str());
            rekmock::storage::define_job_key_function(db);
            db.exec(kVersion7Ddl);
            Statement insert(db, kVersion7Jobs);
            insert.bind(1, std::string_view(text_a));
            insert.bind(2, std::string_view(text_b));
            insert.run();
            db.exec("PRAGMA user_version = 7");
        }
        {
            JobStore store(path.str());
            CHECK(store.count() == 4);
            const auto pending = store.pending_outputs(10);
            REQUIRE(pending.size() == 3);
            CHECK(pending[0].job_id == "second-a");
            CHECK(pending[1].job_id == "only-b");
            CHECK(pending[2].job_id == "first-a");
            for (const auto& job : pending) {
                REQUIRE(job.frozen_rules.has_value());
            }
            CHECK(pending[0].frozen_rules == pending[2].frozen_rules);
            CHECK(pending[0].frozen_rules != pending[1].frozen_rules);
            CHECK(store.rules_text(*pending[0].frozen_rules) == text_a);
            CHECK(store.rules_text(*pending[1].frozen_rules) == text_b);
            const auto done = store.find(rekmock::Scope{}, "done");
            REQUIRE(done.has_value());
            CHECK_FALSE(done->frozen_rules.has_value());

            // A migrated set goes with the last job that names it, as a new one does.
            for (const auto* id : {"first-a", "second-a"}) {
                auto finished = store.find(rekmock::Scope{}, id).value();
                finished.outputs_pending = false;
                finished.frozen_rules.reset();
                CHECK(store.finish_outputs(finished));
            }
            CHECK_THROWS_AS(store.rules_text(*pending[0].frozen_rules), StorageError);
            CHECK(store.rules_text(*pending[1].frozen_rules) == text_b);
        }
        Database db(path.str());
        CHECK(user_version(db) == current_schema_version());
        CHECK(count_of(db, "SELECT count(*) FROM rules_sets") == 1);
        CHECK(count_of(db,
                       "SELECT count(*) FROM pragma_table_info('media_analysis_jobs') WHERE "
                       "name = 'work_plan'") == 0);
        Statement check(db, "PRAGMA integrity_check");
        REQUIRE(check.step());
        CHECK(check.column_text(0) == "ok");
    }

    TEST_CASE("a version-2 store migrates to the current version keeping jobs, tokens, counts") {
        const rekmock::testing::TempPath path(".db");
        const auto at = rekmock::testing::at_millis;
        const rekmock::Scope other_account{"111122223333", "us-east-1"};
        std::vector<unsigned char> secret;
        {
            Database db(path.str());
            db.exec(kVersion1Ddl);
            db.exec(kVersion1Jobs);
            db.exec(kVersion2Ddl);
            db.exec(kVersion2Jobs);
            db.exec("PRAGMA user_version = 2");
            secret = stored_secret(db);
        }
        {
            JobStore store(path.str());
            CHECK(store.pagination_secret() == secret);
            CHECK(store.count() == 5);
            const auto mine = store.list_page(std::nullopt, 10);
            REQUIRE(mine.size() == 3);
            CHECK(mine[0].job_id == "v2-started");
            CHECK(mine[1].job_id == "v1-running");
            CHECK(mine[2].job_id == "v1-failed");
            REQUIRE(mine[0].schedule.has_value());
            CHECK(mine[0].schedule->queued_at == at(1700000011000));
            CHECK(mine[0].completion_timestamp == at(1700000020000));
            CHECK(store.list_page(std::nullopt, 10, other_account).size() == 2);

            // The token recorded by version 2 still names its job.
            const auto replay = store.start(
                started_job("new", 1700000015000, 1700000016000, rekmock::Scope{}),
                rekmock::storage::StartRequestKey{"v2-token", std::vector<unsigned char>(32, 0)},
                100, at(1700000015000));
            CHECK(replay.kind == rekmock::storage::StartOutcome::Kind::Replayed);
            CHECK(replay.job_id == "v2-started");

            // Unfinished at 1700000015000: v1-running and v2-started in the default scope;
            // v2-other-queued and v2-other-started in the other account.
            using Kind = rekmock::storage::StartOutcome::Kind;
            const auto now = at(1700000015000);
            for (const auto& scope : {rekmock::Scope{}, other_account}) {
                INFO(scope.account);
                const auto job =
                    started_job("new-" + scope.account, 1700000015000, 1700000015000, scope);
                CHECK(store.start(job, std::nullopt, 2, now).kind == Kind::LimitReached);
                CHECK(store.start(job, std::nullopt, 3, now).kind == Kind::Created);
            }
            // At v2-started's completion only v1-running is left in the default scope.
            const auto later = at(1700000020000);
            const auto job = started_job("later", 1700000020000, 1700000020000, rekmock::Scope{});
            CHECK(store.start(job, std::nullopt, 1, later).kind == Kind::LimitReached);
            CHECK(store.start(job, std::nullopt, 2, later).kind == Kind::Created);
            CHECK(store.count() == 8);

            // The migrated store's count uses the indexes migration 3 built, as a new store's does.
            JobStore fresh(":memory:");
            CHECK(store.query_plan(JobStore::Query::UnfinishedCount) ==
                  fresh.query_plan(JobStore::Query::UnfinishedCount));
        }
        Database db(path.str());
        CHECK(user_version(db) == current_schema_version());
        // Migration 4 rebuilt the table and keyed every job as JobStore keys new ones.
        Statement keys(db, "SELECT job_id, job_key FROM media_analysis_jobs");
        int keyed = 0;
        while (keys.step()) {
            CHECK(keys.column_int64(1) == rekmock::storage::job_key(keys.column_text(0)));
            ++keyed;
        }
        CHECK(keyed == 8);  // the 5 migrated, the 3 started since
        // Migration 3's two partial indexes, migration 5's and 8's.
        CHECK(count_of(db,
                       "SELECT count(*) FROM pragma_index_list('media_analysis_jobs') WHERE "
                       "partial = 1") == 4);
        // Each index holds exactly the rows of its WHERE: the jobs that were there before too.
        CHECK(count_of(db,
                       "SELECT count(*) FROM media_analysis_jobs INDEXED BY "
                       "media_analysis_jobs_unfinished_loaded WHERE account = (SELECT id FROM "
                       "texts WHERE text = '000000000000') AND region = (SELECT id FROM texts "
                       "WHERE text = 'us-east-1') AND queued_ms IS NULL AND status NOT IN "
                       "('SUCCEEDED', 'FAILED')") == 1);
        CHECK(count_of(db,
                       "SELECT count(*) FROM media_analysis_jobs INDEXED BY "
                       "media_analysis_jobs_started_by_completion WHERE account = (SELECT id FROM "
                       "texts WHERE text = '111122223333') AND region = (SELECT id FROM texts "
                       "WHERE text = 'us-east-1') AND queued_ms IS NOT NULL AND completion_ms > "
                       "0") == 2);
        Statement check(db, "PRAGMA integrity_check");
        REQUIRE(check.step());
        CHECK(check.column_text(0) == "ok");
    }

    TEST_CASE("a version-8 store migrates to texts kept once, keeping every job as it was") {
        const rekmock::testing::TempPath path(".db");
        std::vector<rekmock::MediaAnalysisJob> jobs;
        std::vector<unsigned char> secret;
        {
            Database db(path.str());
            rekmock::storage::define_rules_digest_function(db);
            db.exec(kVersion7Ddl);
            db.exec(kMigration8);
            db.exec("INSERT INTO rules_sets (id, digest, text) VALUES (7, zeroblob(32), '[]')");
            jobs = version8_jobs(rekmock::RulesSetId{7});
            for (const auto& job : jobs) {
                insert_version8_job(db, job);
            }
            db.exec("PRAGMA user_version = 8");
            secret = stored_secret(db);
        }
        {
            JobStore store(path.str());
            CHECK(store.pagination_secret() == secret);
            CHECK(store.count() == static_cast<std::int64_t>(jobs.size()));
            for (const auto& job : jobs) {
                INFO(job.job_id);
                const auto found = store.find(job.scope, job.job_id);
                REQUIRE(found.has_value());
                CHECK(*found == job);
            }
            // Every scope lists its jobs, newest first, ties by JobId descending.
            std::size_t listed = 0;
            for (const auto& [scope, count] : store.count_by_scope()) {
                const auto page = store.list_page(std::nullopt, 100, scope);
                CHECK(page.size() == static_cast<std::size_t>(count));
                for (std::size_t i = 1; i < page.size(); ++i) {
                    CHECK(std::pair(page[i - 1].creation_timestamp, page[i - 1].job_id) >
                          std::pair(page[i].creation_timestamp, page[i].job_id));
                }
                listed += page.size();
            }
            CHECK(listed == jobs.size());
            const auto pending = store.pending_outputs(10);
            REQUIRE(pending.size() == 1);
            CHECK(pending[0] == jobs[jobs.size() - 2]);
            CHECK(store.rules_text(rekmock::RulesSetId{7}) == "[]");
        }
        Database db(path.str());
        CHECK(user_version(db) == current_schema_version());
        // Each repeated text once; the names that hold their JobId stored without it.
        CHECK(count_of(db, "SELECT count(*) FROM texts WHERE text = 'output-bucket'") == 1);
        CHECK(count_of(db, "SELECT count(*) FROM texts WHERE text = '000000000000'") == 1);
        CHECK(count_of(db,
                       "SELECT count(*) FROM media_analysis_jobs WHERE typeof(account) = "
                       "'integer' AND typeof(region) = 'integer' AND typeof(output_bucket) = "
                       "'integer'") == static_cast<std::int64_t>(jobs.size()));
        CHECK(count_of(db,
                       "SELECT count(*) FROM media_analysis_jobs WHERE typeof(results_name) = "
                       "'blob'") == 3);  // full-job's, and the two Started jobs'
        CHECK(count_of(db,
                       "SELECT count(*) FROM media_analysis_jobs WHERE typeof(manifest_name) = "
                       "'blob'") == 3);
        Statement check(db, "PRAGMA integrity_check");
        REQUIRE(check.step());
        CHECK(check.column_text(0) == "ok");
    }

    TEST_CASE("a new store's schema is the one the migrations build from the first version") {
        Database fresh(":memory:");
        migrate(fresh);
        Database migrated(":memory:");
        migrated.exec(kVersion1Ddl);
        migrated.exec("PRAGMA user_version = 1");
        migrate(migrated);
        const std::string schema = schema_of(fresh);
        CHECK(schema == schema_of(migrated));
        // It saw what it compares: every table, every index, the partial indexes' WHERE.
        for (const char* part :
             {"table media_analysis_jobs", "table texts", "table rules_sets",
              "table start_requests", "table store_meta", "index sqlite_autoindex_texts_1",
              "WHERE queued_ms IS NULL AND status NOT IN ('SUCCEEDED', 'FAILED')", "|parts|"}) {
            INFO(part);
            CHECK(contains(schema, part));
        }
    }
}
