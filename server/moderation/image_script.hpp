#pragma once

// What a test says one image shows: the moderation labels and content types Rekognition is to
// find in it, with their confidences, or the error its manifest line is to end with. A rule or
// the name convention gives one; moderation_answer.hpp turns it into what the job writes.

#include <optional>
#include <string>
#include <vector>

namespace rekmock::moderation {

struct ScriptedLabel {
    std::string name;       // a label of the taxonomy, as AWS spells it
    double confidence = 0;  // 0..100
    bool operator==(const ScriptedLabel&) const = default;
};

struct ScriptedContentType {
    std::string name;       // "Animated" or "Illustrated"
    double confidence = 0;  // 0..100
    bool operator==(const ScriptedContentType&) const = default;
};

// A manifest line that ends in the summary's "errors" (the image counted invalid).
struct ScriptedError {
    std::string code;
    std::string message;
    bool operator==(const ScriptedError&) const = default;
};

struct ImageScript {
    std::vector<ScriptedLabel> labels;
    std::vector<ScriptedContentType> content_types;
    std::optional<ScriptedError> error;  // when set, no labels nor content types
    bool operator==(const ImageScript&) const = default;
};

}  // namespace rekmock::moderation
