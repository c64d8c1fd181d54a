#pragma once

// Timestamps on the wire: AWS JSON 1.1 sends epoch seconds as a JSON number with millisecond
// precision. Fixtures also accept the ISO-8601 text that the AWS CLI prints.

#include <optional>
#include <string_view>

#include "media_analysis_job.hpp"

namespace rekmock::protocol {

// Epoch seconds with the milliseconds as the fraction (1727784000.25).
double to_epoch_seconds(Timestamp t);

// Rounds to the millisecond; std::nullopt if not finite or outside years 1..9999.
std::optional<Timestamp> from_epoch_seconds(double seconds);

// "2024-10-01T12:00:00.250000+00:00", "...Z", "... " separator, no zone (UTC); fractions beyond
// milliseconds are truncated. std::nullopt for anything else.
std::optional<Timestamp> parse_iso8601(std::string_view text);

}  // namespace rekmock::protocol
