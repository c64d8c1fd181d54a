#pragma once

// One line of an input manifest: a JSON object whose "source-ref" names an image as
// "s3://bucket/key" (other members, such as a labelling job's, are allowed and ignored).

#include <string>
#include <string_view>
#include <variant>

#include "line_error.hpp"
#include "object_store.hpp"

namespace rekmock::bulk_analysis {

struct ManifestEntry {
    std::string source_ref;  // as the line spells it: the results line repeats it
    objects::ObjectRef image;
};

// The entry `line` holds, or why it holds none.
std::variant<ManifestEntry, LineError> parse_manifest_line(std::string_view line);

// "s3://bucket/key" as an object, or std::nullopt when it is not that shape.
std::optional<objects::ObjectRef> parse_s3_uri(std::string_view uri);

}  // namespace rekmock::bulk_analysis
