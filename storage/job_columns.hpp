#pragma once

// The columns of media_analysis_jobs that hold a MediaAnalysisJob, listed once (job_columns.cpp):
// the store's SELECT list and INSERT are generated from that list, and each column binds and
// reads its own member. A new model member is a new column there and a migration in schema.cpp.

#include <chrono>
#include <cstdint>
#include <string>

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

// The INSERT of every column of one job, with a parameter per column as bind_job() binds them.
const std::string& job_insert_sql();

// Binds every column of `job` to a statement compiled from job_insert_sql(); text is not copied
// (a bulk load binds a million jobs), so `job` must outlive the statement's reset.
void bind_job(Statement& insert, const MediaAnalysisJob& job);

// The job in the current row of a statement whose select list starts with job_select_list().
MediaAnalysisJob read_job(const Statement& row);

}  // namespace rekmock::storage
