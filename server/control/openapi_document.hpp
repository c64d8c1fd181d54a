#pragma once

// The OpenAPI 3.1 document of the control plane (server/control/openapi.json, compiled in by
// cmake/embed_text.cmake), which GET /_mock/openapi.json serves as it is.

#include <string_view>

namespace rekmock::control {

// The document's bytes.
std::string_view openapi_document_json();

}  // namespace rekmock::control
