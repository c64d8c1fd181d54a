#include "ui_assets.hpp"

#include <array>
#include <utility>

#include "ui_asset_bytes.hpp"

namespace rekmock::control {
namespace {

struct Row {
    std::string_view name;
    std::string_view (*bytes)();
};

// One row per file in server/control/ui/, written by server/CMakeLists.txt.
constexpr Row kRows[] = {
#include "ui_asset_rows.inc"
};

// The media types of the kinds of file the view is made of; text in UTF-8.
std::string_view content_type_of(std::string_view name) {
    constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kTypes{{
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},
    }};
    for (const auto& [extension, type] : kTypes) {
        if (name.ends_with(extension)) {
            return type;
        }
    }
    return "application/octet-stream";
}

}  // namespace

std::optional<UiAsset> find_ui_asset(std::string_view name) {
    for (const Row& row : kRows) {
        if (row.name == name) {
            return UiAsset{row.name, content_type_of(row.name), row.bytes()};
        }
    }
    return std::nullopt;
}

}  // namespace rekmock::control
