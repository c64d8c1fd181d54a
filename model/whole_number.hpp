#pragma once

// Whole numbers in text, as headers, URLs, query parameters and page tokens carry them.

#include <charconv>
#include <optional>
#include <string_view>

namespace rekmock {

// The number all of `text` spells in decimal, if it is one that fits `Number` (no sign for an
// unsigned one, no spaces).
template <typename Number>
std::optional<Number> whole_number(std::string_view text) {
    Number parsed = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return parsed;
}

}  // namespace rekmock
