#pragma once

#include <string>

#include "sqlite_database.hpp"

namespace rekmock::storage {

// The schema version this build writes; PRAGMA user_version records it in each store.
int current_schema_version() noexcept;

// The WHERE of migration 3's partial index of loaded jobs not yet finished, the terminal
// statuses spelled as the model spells them: SQLite uses a partial index only for a query whose
// WHERE implies the index's, so the store's count of unfinished jobs repeats it.
const std::string& unfinished_loaded_condition();

// Brings `db` up to current_schema_version() one migration at a time, each in its own
// transaction; refuses a store written by a newer build rather than guess at its layout.
void migrate(Database& db);

}  // namespace rekmock::storage
