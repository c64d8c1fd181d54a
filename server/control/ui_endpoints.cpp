#include "control_endpoints.hpp"
#include "openapi_document.hpp"
#include "ui_assets.hpp"

namespace rekmock::control {
namespace {

// The file's bytes as they are: no newline added, as for JSON answers.
Reply asset_reply(const UiAsset& asset) {
    return Reply{http::status::ok, std::string(asset.bytes), std::string(asset.content_type), true};
}

}  // namespace

// GET /_mock/ui: the page (index.html).
Reply ui_page(ControlState&, const ControlRequest&) {
    return asset_reply(*find_ui_asset("index.html"));
}

// GET /_mock/ui/{Asset}: one of its files ("" is the page too); NotFound for any other name.
Reply ui_asset(ControlState& state, const ControlRequest& request) {
    const std::string& name = request.params.at("Asset");
    if (name.empty()) {
        return ui_page(state, request);
    }
    const auto asset = find_ui_asset(name);
    if (!asset) {
        not_found("no file '" + name + "' in the browser view");
    }
    return asset_reply(*asset);
}

// GET /_mock/openapi.json: the control plane's OpenAPI document.
Reply openapi_document(ControlState&, const ControlRequest&) {
    return Reply{http::status::ok, std::string(openapi_document_json()), "application/json", true};
}

}  // namespace rekmock::control
