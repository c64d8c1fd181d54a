#pragma once

// The columns of media_analysis_jobs that hold a MediaAnalysisJob, listed once (job_columns.cpp):
// the store's SELECT list and INSERT are generated from that list, and each column binds and
// reads its own member. A new model member is a new column there and a migration in schema.cpp.
// Texts that repeat from job to job are stored as ids of interned texts (interned_texts.hpp),
// and a result or manifest name that holds its job's JobId is stored without it (stored_name).

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "interned_texts.hpp"
#include "media_analysis_job.hpp"
#include "sqlite_database.hpp"

namespace rekmock::storage {

// A Timestamp as its columns hold it: milliseconds since the Unix epoch.
inline std::int64_t to_millis(Timestamp t) noexcept {
    return t.time_since_epoch().count();
}
inline Timestamp from_millis(std::int64_t ms) noexcept {
    return Timestamp(std::chrono::milliseconds(ms));
}

// The columns read_job() reads, comma-separated in its order: a query for jobs selects them first.
const std::string& job_select_list();

// The INSERT of every column of one job, with a parameter per column as bind() binds them.
const std::string& job_insert_sql();

// Binds and reads the columns of jobs, with the store's interned texts. Not thread-safe: the
// job store uses it under its lock.
class JobRows {
  public:
    explicit JobRows(InternedTexts& texts) noexcept : texts_(texts) {}

    // Binds every column of `job` to a statement compiled from job_insert_sql(), interning its
    // repeated texts; text is not copied (a bulk load binds a million jobs), so `job`, and this,
    // must outlive the statement's reset.
    void bind(Statement& insert, const MediaAnalysisJob& job);

    // The job in the current row of a statement whose select list starts with job_select_list().
    MediaAnalysisJob read(const Statement& row);

    InternedTexts& texts() noexcept { return texts_; }

    // Room for the stored forms of the bound job's names, which the statement borrows.
    std::string& name_buffer(std::size_t slot) { return names_.at(slot); }

  private:
    InternedTexts& texts_;
    std::array<std::string, 2> names_;
};

// The stored form of a name (an S3 object name) of the job `job_id`: if the name holds the
// JobId, the JobId's byte offset in two bytes (little-endian) and the name without it, written
// to `blob`, and true; "output/<JobId>/results.jsonl" then takes 23 bytes, not 85. False, and
// the name is stored as text, otherwise.
bool stored_name(std::string_view name, std::string_view job_id, std::string& blob);

// The name whose stored form is `blob`; StorageError for bytes stored_name() cannot have made.
std::string name_from_stored(std::string_view blob, std::string_view job_id);

// Makes the stored form available to SQL on `db` as rekmock_stored_name(name, job_id): a blob
// or the name's text (NULL for NULL). Migration 9 stores the names of the jobs before it so.
void define_stored_name_function(Database& db);

}  // namespace rekmock::storage
