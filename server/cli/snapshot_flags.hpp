#pragma once

// The `snapshot` subcommand's flags (snapshot_command.hpp runs it).

#include <CLI/CLI.hpp>

#include "snapshot_settings.hpp"

namespace rekmock::cli {

// Adds `snapshot` and its flags to `app`, filling `settings` when parsed; returns the subcommand.
CLI::App* add_snapshot_command(CLI::App& app, snapshot::SnapshotSettings& settings);

}  // namespace rekmock::cli
