#include "name_convention.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

#include "comma_list.hpp"

namespace rekmock::moderation {
namespace {

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool starts_with_nocase(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), text.begin(),
                                                      [](char p, char t) { return p == lower(t); });
}

// The token's text for messages: its bytes up to the first that cannot belong to one.
std::string_view token_text(std::string_view rest) {
    std::size_t end = 0;
    // A dot belongs to it only before a digit (a decimal confidence), not before ".jpg".
    const auto part = [rest](std::size_t i) {
        return is_alnum(rest[i]) || rest[i] == '-' || rest[i] == '_' ||
               (rest[i] == '.' && i + 1 < rest.size() && rest[i + 1] >= '0' && rest[i + 1] <= '9');
    };
    while (end < rest.size() && part(end)) {
        ++end;
    }
    return rest.substr(0, end);
}

// The decimals a confidence may have: as many as a double holds, and a bound on how long a
// label token can be.
constexpr std::size_t kMaxDecimals = 15;
// The longest confidence text: "100" at most before the point.
constexpr std::size_t kMaxConfidenceText = 3 + 1 + kMaxDecimals;
// How much of a token a message quotes: a source-ref may be 64 KiB, and so a token.
constexpr std::size_t kQuotedToken = 80;

// `token` for a message, its tail left off when long.
std::string quoted(std::string_view token) {
    if (token.size() <= kQuotedToken) {
        return std::string(token);
    }
    return std::string(token.substr(0, kQuotedToken)) + "... (" + std::to_string(token.size()) +
           " characters)";
}

// A confidence at the start of `text` ("93", "97.5"), followed by a byte that is not a letter
// or digit; its length in `used`.
std::optional<double> read_confidence(std::string_view text, std::size_t& used) {
    std::size_t end = 0;
    while (end < text.size() && end < 3 && text[end] >= '0' && text[end] <= '9') {
        ++end;
    }
    if (end == 0) {
        return std::nullopt;
    }
    if (end + 1 < text.size() && text[end] == '.' && text[end + 1] >= '0' && text[end + 1] <= '9') {
        const std::size_t point = end++;
        while (end < text.size() && end - point <= kMaxDecimals && text[end] >= '0' &&
               text[end] <= '9') {
            ++end;
        }
    }
    if (end < text.size() && is_alnum(text[end])) {
        return std::nullopt;
    }
    double value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + end, value);
    if (ec != std::errc() || ptr != text.data() + end || value > 100) {
        return std::nullopt;
    }
    used = end;
    return value;
}

struct Parsed {
    std::string name;
    double confidence = 0;
    std::size_t length = 0;  // of "<slug>-<confidence>"
};

// "<slug>-<confidence>" at the start of `rest` for one of `slugs`.
std::optional<Parsed> read_named(std::string_view rest, const NameConvention::Slugs& slugs) {
    for (const auto& [slug, name] : slugs) {
        if (!starts_with_nocase(rest, slug) || rest.size() <= slug.size() ||
            rest[slug.size()] != '-') {
            continue;
        }
        std::size_t used = 0;
        if (const auto confidence = read_confidence(rest.substr(slug.size() + 1), used)) {
            return Parsed{name, *confidence, slug.size() + 1 + used};
        }
    }
    return std::nullopt;
}

std::string nearest_slugs(std::string_view token, const ModerationTaxonomy& taxonomy) {
    // Compare as names: the slug's dashes as spaces, the confidence left off.
    std::string guess(token);
    if (const auto dash = guess.find_last_of('-'); dash != std::string::npos) {
        guess.resize(dash);
    }
    std::ranges::replace(guess, '-', ' ');
    return comma_list(taxonomy.nearest(guess, 3), label_slug);
}

ImageScript convention_error(std::string message) {
    ImageScript script;
    script.error = ScriptedError{std::string(kNameConventionError), std::move(message)};
    return script;
}

}  // namespace

std::string label_slug(std::string_view name) {
    std::string slug;
    bool gap = false;
    for (const char c : name) {
        if (is_alnum(c)) {
            if (gap && !slug.empty()) {
                slug += '-';
            }
            gap = false;
            slug += lower(c);
        } else {
            gap = true;
        }
    }
    return slug;
}

NameConvention::Slugs NameConvention::longest_first(const std::vector<std::string>& names) {
    Slugs slugs;
    for (const auto& name : names) {
        slugs.emplace_back(label_slug(name), name);
    }
    std::ranges::stable_sort(
        slugs, [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    return slugs;
}

NameConvention::NameConvention(const ModerationTaxonomy& taxonomy) : taxonomy_(taxonomy) {
    std::vector<std::string> names;
    for (const auto& label : taxonomy.labels()) {
        names.push_back(label.name);
    }
    labels_ = longest_first(names);
    longest_label_ = (labels_.empty() ? 0 : labels_.front().first.size()) + 1 + kMaxConfidenceText;
    types_ = longest_first(
        std::vector<std::string>(taxonomy.content_types().begin(), taxonomy.content_types().end()));
}

std::optional<ImageScript> NameConvention::script(std::string_view source_ref) const {
    const ModerationTaxonomy& taxonomy = taxonomy_;
    static constexpr std::string_view kLabel = "rkm-label-";
    static constexpr std::string_view kContent = "rkm-content-";
    static constexpr std::string_view kError = "rkm-error-";
    std::optional<ImageScript> script;
    for (std::size_t at = 0; at < source_ref.size(); ++at) {
        if (at > 0 && is_alnum(source_ref[at - 1])) {
            continue;
        }
        const std::string_view rest = source_ref.substr(at);
        if (!starts_with_nocase(rest, "rkm-")) {
            continue;
        }
        if (!script) {
            script.emplace();
        }
        if (starts_with_nocase(rest, kLabel)) {
            const auto parsed = read_named(rest.substr(kLabel.size()), labels_);
            if (!parsed) {
                const std::string_view token = token_text(rest);
                // No label is near a text longer than every label token: the search, which
                // costs its length times each label's, would only name three at random.
                if (token.size() > kLabel.size() + longest_label_) {
                    return convention_error(
                        "The token " + quoted(token) +
                        " names no moderation label with a confidence from 0 to 100: it is "
                        "longer than any rkm-label-<label>-<confidence> token (at most " +
                        std::to_string(kLabel.size() + longest_label_) + " characters).");
                }
                return convention_error(
                    "The token " + quoted(token) +
                    " names no moderation label with a confidence from 0 to 100 (rkm-label-"
                    "<label>-<confidence>); nearest labels: " +
                    nearest_slugs(token.substr(kLabel.size()), taxonomy) + ".");
            }
            if (std::ranges::find(script->labels, parsed->name, &ScriptedLabel::name) !=
                script->labels.end()) {
                return convention_error("The label " + label_slug(parsed->name) +
                                        " is named twice in the source-ref.");
            }
            script->labels.push_back({parsed->name, parsed->confidence});
            at += kLabel.size() + parsed->length - 1;
        } else if (starts_with_nocase(rest, kContent)) {
            const auto parsed = read_named(rest.substr(kContent.size()), types_);
            if (!parsed) {
                return convention_error("The token " + quoted(token_text(rest)) +
                                        " names no content type with a confidence from 0 to 100 "
                                        "(rkm-content-<type>-<confidence>; types: " +
                                        comma_list(types_, &Slugs::value_type::first) + ").");
            }
            if (std::ranges::find(script->content_types, parsed->name,
                                  &ScriptedContentType::name) != script->content_types.end()) {
                return convention_error("The content type " + label_slug(parsed->name) +
                                        " is named twice in the source-ref.");
            }
            script->content_types.push_back({parsed->name, parsed->confidence});
            at += kContent.size() + parsed->length - 1;
        } else if (starts_with_nocase(rest, kError)) {
            std::string code;
            for (const char c : rest.substr(kError.size())) {
                if (!is_alnum(c) && c != '_') {
                    break;
                }
                code += c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
            }
            if (code.empty()) {
                return convention_error(
                    "The token rkm-error- names no error code "
                    "(rkm-error-<code>, letters, digits and _).");
            }
            script->error =
                ScriptedError{code, "Scripted by the source-ref's rkm-error-" + code + " token."};
            at += kError.size() + code.size() - 1;
        }
        // "rkm-" followed by anything else is not a token: only the three prefixes are.
    }
    if (script && script->error) {
        script->labels.clear();
        script->content_types.clear();
    }
    if (script && script->labels.empty() && script->content_types.empty() && !script->error) {
        return std::nullopt;  // "rkm-" alone, or "rkm-something" that is no token
    }
    return script;
}

}  // namespace rekmock::moderation
