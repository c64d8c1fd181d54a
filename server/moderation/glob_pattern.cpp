#include "glob_pattern.hpp"

namespace rekmock::moderation {

bool glob_match(std::string_view pattern, std::string_view text) noexcept {
    // The classic linear backtracking walk: on a mismatch, go back to the last `*` and let it
    // swallow one more byte. Only the last star matters, so the cost is O(|pattern| * |text|)
    // at worst, never exponential, whatever a rule or a manifest line holds.
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t star_text = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            star_text = t;
        } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++star_text;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') {
        ++p;
    }
    return p == pattern.size();
}

}  // namespace rekmock::moderation
