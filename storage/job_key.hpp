#pragma once

// The integer a stored job is found by: a 64-bit hash of its JobId. An index of integers is
// built in about half the time an index of 64-character JobIds takes, which a bulk load of a
// million fixture jobs waits for; lookups compare the JobId itself after the key.

#include <cstdint>
#include <string_view>

#include "sqlite_database.hpp"

namespace rekmock::storage {

// FNV-1a of the JobId's bytes: stable across builds and platforms, since file stores keep it.
std::int64_t job_key(std::string_view job_id) noexcept;

// Makes job_key available to SQL on `db` as rekmock_job_key(text): migration 4 keys the jobs
// stored before it.
void define_job_key_function(Database& db);

}  // namespace rekmock::storage
