#pragma once

// What DetectModerationLabels answers for an image whose ImageScript is known: the scripted
// labels with the ancestors AWS lists with them, filtered by the job's MinConfidence, and the
// content types.
//
// The rules, which the README states for test writers:
// - each scripted label is listed, then its parent, then its grandparent (each label once, in
//   the order the script first reaches it), as DetectModerationLabels lists them;
// - an ancestor the script does not name has the highest confidence of the scripted labels below
//   it (AWS's answers give a parent at least its child's confidence); one it names keeps its own;
// - a label is kept when its own confidence is at least MinConfidence (50 when the job gives
//   none, DetectModerationLabels' default), whatever is kept of its family: an ancestor scripted
//   below the threshold is dropped even though its child stays;
// - content types are not filtered: MinConfidence is documented for labels only.

#include <vector>

#include "image_script.hpp"
#include "moderation_taxonomy.hpp"

namespace rekmock::moderation {

// DetectModerationLabels' MinConfidence when the request gives none.
inline constexpr double kDefaultMinConfidence = 50.0;

struct DetectedLabel {
    const TaxonomyLabel* label = nullptr;  // name, parent and level, from the taxonomy
    double confidence = 0;
};

struct ModerationAnswer {
    std::vector<DetectedLabel> labels;
    std::vector<ScriptedContentType> content_types;
};

// The answer for `script` (whose error, if any, the caller handles) at `min_confidence`; labels
// outside `taxonomy` are skipped (rules are checked against it before they are accepted).
ModerationAnswer answer_for(const ImageScript& script, double min_confidence,
                            const ModerationTaxonomy& taxonomy);

}  // namespace rekmock::moderation
