#pragma once

// Structured logs: one JSON object per line on stderr, written with a single write so lines
// from concurrent requests never interleave.

#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace rekmock::logging {

enum class LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3, Off = 4 };

// "debug", "info", "warn", "error", "off"; std::nullopt for anything else.
std::optional<LogLevel> parse_log_level(std::string_view name);

class Logger {
  public:
    // Writes lines at `threshold` or above to `out` (stderr unless a test passes a file).
    explicit Logger(LogLevel threshold, std::FILE* out = stderr) noexcept
        : threshold_(threshold), out_(out) {}

    bool enabled(LogLevel level) const noexcept { return level >= threshold_; }

    // Writes {"ts": ..., "level": ..., "msg": message, ...fields} as one line.
    void log(LogLevel level, std::string_view message,
             const nlohmann::ordered_json& fields = nlohmann::ordered_json::object());

  private:
    LogLevel threshold_;
    std::FILE* out_;
    std::mutex mutex_;
};

}  // namespace rekmock::logging
