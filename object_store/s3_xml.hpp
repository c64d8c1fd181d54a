#pragma once

// The little XML an S3 client reads and writes. S3's answers that matter here (Error,
// InitiateMultipartUploadResult) are flat documents read for one named element, so this is a
// reader of named elements' text, not an XML parser.

#include <optional>
#include <string>
#include <string_view>

namespace rekmock::objects {

// The text of the first <name> element of `document` (attributes allowed, no child elements),
// with XML's entity and character references resolved; std::nullopt when there is none.
std::optional<std::string> xml_element_text(std::string_view document, std::string_view name);

// `text` with & < > " ' escaped, for an element's content.
std::string xml_escape(std::string_view text);

}  // namespace rekmock::objects
