#include "moderation_answer.hpp"

#include <algorithm>

namespace rekmock::moderation {

ModerationAnswer answer_for(const ImageScript& script, double min_confidence,
                            const ModerationTaxonomy& taxonomy) {
    const auto scripted = [&script](const TaxonomyLabel* label) {
        return std::ranges::find(script.labels, label->name, &ScriptedLabel::name) !=
               script.labels.end();
    };
    std::vector<DetectedLabel> listed;
    const auto entry = [&listed](const TaxonomyLabel* label) -> DetectedLabel* {
        const auto it = std::ranges::find(listed, label, &DetectedLabel::label);
        return it == listed.end() ? nullptr : &*it;
    };
    for (const auto& wanted : script.labels) {
        const auto family = taxonomy.with_ancestors(wanted.name);
        for (const TaxonomyLabel* label : family) {
            const bool own = label == family.front();
            if (!own && scripted(label)) {
                // Named by the script too: its own entry (listed now or later) carries its value.
                if (entry(label) == nullptr) {
                    const auto it =
                        std::ranges::find(script.labels, label->name, &ScriptedLabel::name);
                    listed.push_back({label, it->confidence});
                }
                continue;
            }
            if (DetectedLabel* seen = entry(label)) {
                if (!own) {
                    seen->confidence = std::max(seen->confidence, wanted.confidence);
                }
                continue;
            }
            listed.push_back({label, wanted.confidence});
        }
    }
    ModerationAnswer answer;
    for (const auto& detected : listed) {
        if (detected.confidence >= min_confidence) {
            answer.labels.push_back(detected);
        }
    }
    answer.content_types = script.content_types;
    return answer;
}

}  // namespace rekmock::moderation
