#pragma once

// The name convention: a source-ref can script its own image, with no rule at all, by holding
// tokens like these (any case, anywhere in the source-ref, each starting the source-ref or
// following a byte that is not a letter or digit, and ending before one):
//   rkm-label-<label>-<confidence>      rkm-label-weapons-93, rkm-label-exposed-female-nipple-97.5
//   rkm-content-<type>-<confidence>     rkm-content-animated-88
//   rkm-error-<code>                    rkm-error-ERROR_INVALID_IMAGE
// A confidence has at most 15 decimals.
// <label> is the label's slug: its name in lower case, each run of other bytes than letters and
// digits one "-" ("Drugs & Tobacco" -> drugs-tobacco). The "rkm-" prefix makes an accidental
// match with a real key unlikely; a token that names no label is an error on that line, never
// silently no label.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "image_script.hpp"
#include "moderation_taxonomy.hpp"

namespace rekmock::moderation {

// The line error a malformed or unknown token gives.
inline constexpr std::string_view kNameConventionError = "ERROR_MOCK_NAME_CONVENTION";

// A label's slug, as the convention spells it.
std::string label_slug(std::string_view name);

class NameConvention {
  public:
    // (slug, name), longest slug first, so that "explicit-nudity-97" is Explicit Nudity, not
    // Explicit followed by junk.
    using Slugs = std::vector<std::pair<std::string, std::string>>;

    // The convention over `taxonomy`'s names (which must outlive this), their slugs made once.
    explicit NameConvention(const ModerationTaxonomy& taxonomy);

    // The script the tokens of `source_ref` give, or std::nullopt when it holds none. A token
    // that names no label or content type, a confidence outside 0..100 or a label named twice
    // gives a script with a kNameConventionError error saying which token and what was meant.
    std::optional<ImageScript> script(std::string_view source_ref) const;

  private:
    static Slugs longest_first(const std::vector<std::string>& names);

    const ModerationTaxonomy& taxonomy_;
    Slugs labels_;
    Slugs types_;
    // The longest "<slug>-<confidence>" a label token can hold.
    std::size_t longest_label_ = 0;
};

}  // namespace rekmock::moderation
