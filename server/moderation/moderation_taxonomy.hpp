#pragma once

// AWS's moderation label taxonomy: the labels DetectModerationLabels and media analysis jobs can
// return, in AWS's three-level hierarchy, and the content types they can report. The data is
// moderation_taxonomy.json (with its source), compiled in; this is the one place that reads it.

#include <cstddef>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rekmock::moderation {

struct TaxonomyLabel {
    std::string name;    // as AWS spells it, e.g. "Exposed Buttocks or Anus"
    std::string parent;  // the level-above label's name; "" at level 1 (AWS's ParentName)
    int level = 0;       // 1..3 (AWS's TaxonomyLevel)
};

class ModerationTaxonomy {
  public:
    // The taxonomy of Rekognition's moderation model 7.0, parsed once (thread-safe) from the data
    // compiled into the binary.
    static const ModerationTaxonomy& aws_v7();

    // Parses text in moderation_taxonomy.json's format; throws std::invalid_argument naming the
    // fault if it is malformed or inconsistent (a name twice, a missing parent, a wrong level).
    static ModerationTaxonomy parse(std::string_view json);

    // The model version the data describes ("7.0").
    const std::string& model_version() const { return model_version_; }

    // Every label, in the order of AWS's table (each level-1 label, then its descendants).
    std::span<const TaxonomyLabel> labels() const { return labels_; }

    // The label with exactly this name (case-sensitive, as AWS spells it), or nullptr.
    const TaxonomyLabel* find(std::string_view name) const;

    // The label, then its parent, then its grandparent: the order in which DetectModerationLabels
    // lists a detected label and the ancestors that come with it. Empty for an unknown name.
    std::vector<const TaxonomyLabel*> with_ancestors(std::string_view name) const;

    // Up to `count` valid names closest to `name`, for an error message: names containing it
    // (case-insensitively) first, then the others, each group by case-insensitive edit
    // distance, ties in name order (so always the same).
    std::vector<std::string> nearest(std::string_view name, std::size_t count) const;

    // The content types AWS reports beside the labels ("Animated", "Illustrated").
    std::span<const std::string> content_types() const { return content_types_; }

    // Whether `name` is one of content_types(), exactly as AWS spells it.
    bool is_content_type(std::string_view name) const;

  private:
    ModerationTaxonomy() = default;

    std::string model_version_;
    std::vector<TaxonomyLabel> labels_;
    std::map<std::string, std::size_t, std::less<>> index_;  // name -> position in labels_
    std::vector<std::string> content_types_;
};

}  // namespace rekmock::moderation
