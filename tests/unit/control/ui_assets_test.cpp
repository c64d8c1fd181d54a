#include "ui_assets.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

using rekmock::control::find_ui_asset;

namespace {

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// Every text between `open` and the next `close` in `text` (no std::regex: GCC 12 warns inside
// it under the sanitizer builds).
std::vector<std::string> between(std::string_view text, std::string_view open, char close) {
    std::vector<std::string> found;
    for (std::size_t at = text.find(open); at != std::string_view::npos; at = text.find(open, at)) {
        at += open.size();
        const std::size_t end = text.find(close, at);
        found.emplace_back(text.substr(at, end - at));
    }
    return found;
}

// The files index.html loads (src= and href= values under /_mock/ui/).
std::vector<std::string> referenced(std::string_view html) {
    auto names = between(html, "src=\"/_mock/ui/", '"');
    for (auto& name : between(html, "href=\"/_mock/ui/", '"')) {
        names.push_back(std::move(name));
    }
    return names;
}

// True when a tag in `html` has an event handler attribute (" onclick=").
bool has_handler_attribute(std::string_view html) {
    for (std::size_t at = html.find(" on"); at != std::string_view::npos;
         at = html.find(" on", at + 1)) {
        std::size_t end = at + 3;
        while (end < html.size() && html[end] >= 'a' && html[end] <= 'z') {
            ++end;
        }
        if (end > at + 3 && end < html.size() && html[end] == '=') {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_SUITE("ui_assets") {
    TEST_CASE("the page and its files are compiled in with their media types") {
        const auto page = find_ui_asset("index.html");
        REQUIRE(page);
        CHECK(page->content_type == "text/html; charset=utf-8");
        CHECK(page->bytes.starts_with("<!doctype html>"));
        CHECK(find_ui_asset("app.css")->content_type == "text/css; charset=utf-8");
        CHECK(find_ui_asset("app.js")->content_type == "text/javascript; charset=utf-8");
        CHECK(find_ui_asset("icon.svg")->content_type == "image/svg+xml");
        CHECK_FALSE(find_ui_asset("nope.js"));
        CHECK_FALSE(find_ui_asset(""));
        CHECK_FALSE(find_ui_asset("../index.html"));
    }

    TEST_CASE("every file the page and its modules load is there") {
        const auto names = referenced(find_ui_asset("index.html")->bytes);
        CHECK(names.size() == 3);
        for (const auto& name : names) {
            CAPTURE(name);
            CHECK(find_ui_asset(name));
        }
        // Each module the app imports ('./jobs.js') is compiled in too.
        for (const char* module : {"app.js", "jobs.js", "timeline.js", "steer.js", "faults.js",
                                   "requests.js", "api.js", "dom.js"}) {
            CAPTURE(module);
            const auto asset = find_ui_asset(module);
            REQUIRE(asset);
            for (const auto& imported : between(asset->bytes, "from './", '\'')) {
                CAPTURE(imported);
                CHECK(find_ui_asset(imported));
            }
        }
    }

    TEST_CASE("the page keeps to its Content-Security-Policy: no inline script or style") {
        const std::string_view html = find_ui_asset("index.html")->bytes;
        for (const auto& tag : between(html, "<script", '>')) {
            CAPTURE(tag);
            CHECK(contains(tag, " src=\"/_mock/ui/"));
        }
        CHECK_FALSE(contains(html, "style="));
        CHECK_FALSE(contains(html, "<style"));
        CHECK_FALSE(has_handler_attribute(html));
        CHECK(has_handler_attribute("<a onclick=\"x\">"));
    }

    TEST_CASE("no script writes markup: data goes in as text") {
        for (const char* module : {"app.js", "jobs.js", "timeline.js", "steer.js", "faults.js",
                                   "requests.js", "api.js", "dom.js"}) {
            CAPTURE(module);
            const std::string_view text = find_ui_asset(module)->bytes;
            CHECK_FALSE(contains(text, "innerHTML"));
            CHECK_FALSE(contains(text, "outerHTML"));
            CHECK_FALSE(contains(text, "insertAdjacentHTML"));
            CHECK_FALSE(contains(text, "document.write"));
            CHECK_FALSE(contains(text, "eval("));
        }
    }
}
