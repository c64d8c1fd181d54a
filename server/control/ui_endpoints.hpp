#pragma once

// The browser view of the mock at /_mock/ui: static files only. Everything the page shows or
// does goes through the control plane's public endpoints, so a test can do it with curl.

#include <string_view>

#include "control_endpoints.hpp"

namespace rekmock::control {

// The page's path, which GET /_mock/health names as "Ui".
inline constexpr std::string_view kUiPath = "/_mock/ui";

// GET /_mock/ui: the page (index.html).
Reply ui_page(ControlState& state, const ControlRequest& request);
// GET /_mock/ui/{Asset}: one of its files ("" is the page too); NotFound for any other name.
Reply ui_asset(ControlState& state, const ControlRequest& request);

}  // namespace rekmock::control
