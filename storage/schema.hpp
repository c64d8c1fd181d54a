#pragma once

#include "sqlite_database.hpp"

namespace rekmock::storage {

// The schema version this build writes; PRAGMA user_version records it in each store.
int current_schema_version() noexcept;

// Brings `db` up to current_schema_version() one migration at a time, each in its own
// transaction; refuses a store written by a newer build rather than guess at its layout.
void migrate(Database& db);

}  // namespace rekmock::storage
