#pragma once

// The `conformance` subcommand's flags (conformance_command.hpp runs it).

#include <CLI/CLI.hpp>

#include "conformance_settings.hpp"

namespace rekmock::cli {

// Adds `conformance` and its flags to `app`, filling `settings` when parsed; returns the
// subcommand. The full scenario without --manifest and --output-bucket, or the read-only one
// with them, is a usage error.
CLI::App* add_conformance_command(CLI::App& app, conformance::ConformanceSettings& settings);

}  // namespace rekmock::cli
