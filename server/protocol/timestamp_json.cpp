#include "timestamp_json.hpp"

#include <cmath>

namespace rekmock::protocol {
namespace {

using std::chrono::milliseconds;

// 0001-01-01 and 9999-12-31T23:59:59.999 in epoch milliseconds: the range ISO-8601 can spell.
constexpr double kMinMillis = -62135596800000.0;
constexpr double kMaxMillis = 253402300799999.0;

// Reads exactly `digits` decimal digits.
bool read_digits(std::string_view& text, std::size_t digits, int& value) {
    if (text.size() < digits) {
        return false;
    }
    value = 0;
    for (std::size_t i = 0; i < digits; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
        value = value * 10 + (text[i] - '0');
    }
    text.remove_prefix(digits);
    return true;
}

bool expect(std::string_view& text, char c) {
    if (text.empty() || text.front() != c) {
        return false;
    }
    text.remove_prefix(1);
    return true;
}

}  // namespace

double to_epoch_seconds(Timestamp t) {
    return static_cast<double>(t.time_since_epoch().count()) / 1000.0;
}

std::optional<Timestamp> from_epoch_seconds(double seconds) {
    const double millis = std::round(seconds * 1000.0);
    if (!std::isfinite(millis) || millis < kMinMillis || millis > kMaxMillis) {
        return std::nullopt;
    }
    return Timestamp(milliseconds(static_cast<long long>(millis)));
}

std::optional<Timestamp> parse_iso8601(std::string_view text) {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!read_digits(text, 4, year) || !expect(text, '-') || !read_digits(text, 2, month) ||
        !expect(text, '-') || !read_digits(text, 2, day)) {
        return std::nullopt;
    }
    if (!(expect(text, 'T') || expect(text, 't') || expect(text, ' ')) ||
        !read_digits(text, 2, hour) || !expect(text, ':') || !read_digits(text, 2, minute) ||
        !expect(text, ':') || !read_digits(text, 2, second)) {
        return std::nullopt;
    }
    long long millis = 0;
    if (expect(text, '.')) {
        int scale = 100;
        std::size_t digits = 0;
        while (!text.empty() && text.front() >= '0' && text.front() <= '9') {
            millis += (text.front() - '0') * scale;
            scale /= 10;
            text.remove_prefix(1);
            ++digits;
        }
        if (digits == 0 || digits > 9) {
            return std::nullopt;
        }
    }
    int offset_minutes = 0;
    if (expect(text, 'Z') || expect(text, 'z')) {
    } else if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        const int sign = text.front() == '-' ? -1 : 1;
        text.remove_prefix(1);
        int offset_hours = 0, offset_mins = 0;
        if (!read_digits(text, 2, offset_hours)) {
            return std::nullopt;
        }
        expect(text, ':');
        if (!read_digits(text, 2, offset_mins) || offset_hours > 23 || offset_mins > 59) {
            return std::nullopt;
        }
        offset_minutes = sign * (offset_hours * 60 + offset_mins);
    }
    if (!text.empty() || hour > 23 || minute > 59 || second > 59) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year(year),
                                           std::chrono::month(static_cast<unsigned>(month)),
                                           std::chrono::day(static_cast<unsigned>(day))};
    if (!date.ok()) {
        return std::nullopt;
    }
    const auto day_start = std::chrono::sys_days(date);
    const Timestamp t = std::chrono::time_point_cast<milliseconds>(day_start) +
                        std::chrono::hours(hour) + std::chrono::minutes(minute - offset_minutes) +
                        std::chrono::seconds(second) + milliseconds(millis);
    // The same range as the numeric form, so both spellings accept the same instants.
    const auto count = static_cast<double>(t.time_since_epoch().count());
    if (count < kMinMillis || count > kMaxMillis) {
        return std::nullopt;
    }
    return t;
}

}  // namespace rekmock::protocol
