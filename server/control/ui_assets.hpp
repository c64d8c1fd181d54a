#pragma once

// The browser view's static files (server/control/ui/), compiled into the binary at build time
// (server/CMakeLists.txt embeds each with embed_text.cmake), so the server has no files to find
// at run time and a Docker image with nothing else in it serves the page.

#include <optional>
#include <string_view>

namespace rekmock::control {

struct UiAsset {
    std::string_view name;          // "app.js"
    std::string_view content_type;  // from the name's extension, with its charset
    std::string_view bytes;
};

// The asset called `name` (a file name in server/control/ui/); std::nullopt when there is none.
std::optional<UiAsset> find_ui_asset(std::string_view name);

}  // namespace rekmock::control
