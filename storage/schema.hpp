#pragma once

#include <cstdint>
#include <string>

#include "sqlite_database.hpp"

namespace rekmock::storage {

// The schema version this build writes; PRAGMA user_version records it in each store.
int current_schema_version() noexcept;

// PRAGMA application_id of every store ("RkMk"): tells our files from other applications'.
std::int64_t store_application_id() noexcept;

// The WHERE of migration 3's partial index of loaded jobs not yet finished, the terminal
// statuses spelled as the model spells them: SQLite uses a partial index only for a query whose
// WHERE implies the index's, so the store's count of unfinished jobs repeats it.
const std::string& unfinished_loaded_condition();

// Brings `db` up to current_schema_version() and marks it with store_application_id(), in one
// write transaction that also reads the version, so concurrent openers take turns. Refuses,
// changing nothing, a non-empty file not ours (another application id, or none and no store of
// an older build) and a version outside 0..current_schema_version().
void migrate(Database& db);

}  // namespace rekmock::storage
