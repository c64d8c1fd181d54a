#include "route_table.hpp"

#include <algorithm>

#include "uri_encoding.hpp"

namespace rekmock::control {
namespace {

// A target component decoded; '+' is a space, as in HTML forms (a literal '+' arrives as %2B).
std::optional<std::string> form_decode(std::string_view text) {
    std::string spaced(text);
    std::replace(spaced.begin(), spaced.end(), '+', ' ');
    return sigv4::percent_decode(spaced);
}

bool is_parameter(std::string_view segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    for (std::size_t at = text.find(separator); at != std::string_view::npos;
         at = text.find(separator)) {
        parts.push_back(text.substr(0, at));
        text.remove_prefix(at + 1);
    }
    parts.push_back(text);
    return parts;
}

std::optional<RequestTarget> parse_target(std::string_view target) {
    const std::size_t question = target.find('?');
    RequestTarget parsed;
    for (const std::string_view raw : split(target.substr(0, question), '/')) {
        auto segment = form_decode(raw);
        if (!segment) {
            return std::nullopt;
        }
        parsed.path.append(parsed.segments.empty() ? "" : "/").append(*segment);
        parsed.segments.push_back(std::move(*segment));
    }
    if (question == std::string_view::npos) {
        return parsed;
    }
    for (const std::string_view pair : split(target.substr(question + 1), '&')) {
        // A stray '&' or a bare '?' names no parameter.
        if (pair.empty()) {
            continue;
        }
        const std::size_t eq = pair.find('=');
        auto name = form_decode(pair.substr(0, eq));
        auto value = form_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
        if (!name || !value) {
            return std::nullopt;
        }
        parsed.query[std::move(*name)] = std::move(*value);
    }
    return parsed;
}

PathPattern::PathPattern(const char* pattern) {
    for (const std::string_view segment : split(pattern, '/')) {
        segments_.emplace_back(segment);
    }
}

std::optional<Params> PathPattern::match(std::span<const std::string> segments) const {
    if (segments.size() != segments_.size()) {
        return std::nullopt;
    }
    Params params;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& expected = segments_[i];
        if (is_parameter(expected)) {
            params.emplace(expected.substr(1, expected.size() - 2), segments[i]);
        } else if (segments[i] != expected) {
            return std::nullopt;
        }
    }
    return params;
}

}  // namespace rekmock::control
