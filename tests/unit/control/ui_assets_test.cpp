#include "ui_assets.hpp"

#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <string_view>

using rekmock::control::find_ui_asset;

namespace {

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// The files index.html loads (src= and href= values under /_mock/ui/).
std::vector<std::string> referenced(std::string_view html) {
    static const std::regex kRef(R"re((?:src|href)="/_mock/ui/([^"]+)")re");
    std::vector<std::string> names;
    const std::string text(html);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), kRef);
         it != std::sregex_iterator(); ++it) {
        names.push_back((*it)[1]);
    }
    return names;
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
        static const std::regex kImport(R"re(from '\./([a-z_]+\.js)')re");
        for (const char* module : {"app.js", "jobs.js", "timeline.js", "steer.js", "faults.js",
                                   "requests.js", "api.js", "dom.js"}) {
            CAPTURE(module);
            const auto asset = find_ui_asset(module);
            REQUIRE(asset);
            const std::string text(asset->bytes);
            for (auto it = std::sregex_iterator(text.begin(), text.end(), kImport);
                 it != std::sregex_iterator(); ++it) {
                CAPTURE((*it)[1].str());
                CHECK(find_ui_asset((*it)[1].str()));
            }
        }
    }

    TEST_CASE("the page keeps to its Content-Security-Policy: no inline script or style") {
        const std::string_view html = find_ui_asset("index.html")->bytes;
        static const std::regex kInlineScript(R"(<script(?![^>]*\bsrc=)[^>]*>)");
        const std::string text(html);
        CHECK_FALSE(std::regex_search(text, kInlineScript));
        CHECK_FALSE(contains(html, "style="));
        CHECK_FALSE(contains(html, "<style"));
        CHECK_FALSE(std::regex_search(text, std::regex(R"(\son[a-z]+=)")));
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
