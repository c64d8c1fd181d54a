#include "logger.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <string>

#include "json_writer.hpp"

namespace rekmock::logging {
namespace {

// Each level's name, in the order of their values.
constexpr std::array<std::string_view, 5> kLevelNames{"debug", "info", "warn", "error", "off"};

std::string_view level_name(LogLevel level) {
    return kLevelNames.at(static_cast<std::size_t>(level));
}

std::string utc_now() {
    using namespace std::chrono;
    const auto now = time_point_cast<milliseconds>(system_clock::now());
    const auto day = floor<days>(now);
    const year_month_day ymd{day};
    const hh_mm_ss time{now - day};
    // Each field bounded to its digits, so the compiler can prove the text fits (at -Os it
    // cannot for plain longs, and warns).
    const auto digits2 = [](auto value) { return static_cast<unsigned>(value) % 100U; };
    char text[32];
    std::snprintf(text, sizeof text, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ",
                  static_cast<unsigned>(static_cast<int>(ymd.year())) % 10000U,
                  digits2(static_cast<unsigned>(ymd.month())),
                  digits2(static_cast<unsigned>(ymd.day())), digits2(time.hours().count()),
                  digits2(time.minutes().count()), digits2(time.seconds().count()),
                  static_cast<unsigned>(time.subseconds().count()) % 1000U);
    return text;
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view name) {
    const auto it = std::ranges::find(kLevelNames, name);
    if (it == kLevelNames.end()) {
        return std::nullopt;
    }
    return static_cast<LogLevel>(it - kLevelNames.begin());
}

void Logger::log(LogLevel level, std::string_view message, const nlohmann::ordered_json& fields) {
    if (!enabled(level)) {
        return;
    }
    nlohmann::ordered_json line;
    line["ts"] = utc_now();
    line["level"] = level_name(level);
    line["msg"] = message;
    for (const auto& [key, value] : fields.items()) {
        line[key] = value;
    }
    std::string text = json::to_text(line);
    text.push_back('\n');
    std::lock_guard lock(mutex_);
    std::fwrite(text.data(), 1, text.size(), out_);
    std::fflush(out_);
}

}  // namespace rekmock::logging
