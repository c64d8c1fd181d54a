#include "results_page.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "control_request.hpp"
#include "string_byte_stream.hpp"

using rekmock::control::ControlError;
using rekmock::control::kMaxResultsPageBytes;
using rekmock::control::Params;
using rekmock::control::parse_results_page_query;
using rekmock::control::read_results_page;
using rekmock::control::results_page_token;
using rekmock::control::ResultsPage;
using rekmock::control::ResultsPageQuery;
using rekmock::testing::StringByteStream;

namespace {

std::string refusal(const Params& params) {
    try {
        parse_results_page_query(params);
    } catch (const ControlError& e) {
        CHECK(e.code() == "BadRequest");
        return e.what();
    }
    FAIL("not refused");
    return {};
}

// The page of `text` from `query`, read 7 bytes at a time so that lines straddle reads.
ResultsPage page_of(const std::string& text, ResultsPageQuery query) {
    StringByteStream stream(text, 7);
    return read_results_page(stream, query);
}

// Every page of `text`, `lines` at a time, following each page's token as a client would.
std::vector<std::string> all_pages(const std::string& text, std::size_t lines) {
    std::vector<std::string> pages;
    std::optional<std::string> token;
    do {
        Params params{{"MaxLines", std::to_string(lines)}};
        if (token) {
            params.emplace("NextToken", *token);
        }
        ResultsPage page = page_of(text, *parse_results_page_query(params));
        pages.push_back(page.lines);
        token.reset();
        if (page.next) {
            token = results_page_token(*page.next);
        }
    } while (token);
    return pages;
}

}  // namespace

TEST_SUITE("results_page") {
    TEST_CASE("neither MaxLines nor NextToken: the whole file, no page") {
        CHECK_FALSE(parse_results_page_query({}));
        CHECK_FALSE(parse_results_page_query({{"AccountId", "111122223333"}}));
        const auto defaults = parse_results_page_query({{"NextToken", ""}});
        REQUIRE(defaults);
        CHECK(defaults->max_lines == rekmock::control::kDefaultResultsPageLines);
        CHECK(defaults->from == 0);
    }

    TEST_CASE("malformed MaxLines and NextToken are refused") {
        for (const char* lines : {"0", "1001", "-1", "2x", "", " 5"}) {
            CHECK(refusal({{"MaxLines", lines}}) ==
                  "MaxLines must be a whole number from 1 to 1000");
        }
        for (const char* token : {"12", "not base64!", "eA"}) {
            CHECK(refusal({{"NextToken", token}}).starts_with("NextToken is not one"));
        }
    }

    TEST_CASE("pages follow each other line by line to the end, then no token") {
        const std::string text = "{\"a\":1}\n{\"b\":22}\n{\"c\":333}\n{\"d\":4}\n{\"e\":5}";
        CHECK(all_pages(text, 2) == std::vector<std::string>{"{\"a\":1}\n{\"b\":22}\n",
                                                             "{\"c\":333}\n{\"d\":4}\n",
                                                             "{\"e\":5}"});
        CHECK(all_pages(text, 1000) == std::vector<std::string>{text});
        // A page that ends exactly at the file's end names no next page.
        CHECK(all_pages(text + "\n", 5) == std::vector<std::string>{text + "\n"});
        CHECK(all_pages("", 3) == std::vector<std::string>{""});
    }

    TEST_CASE("a line longer than a page is cut at the page's size and goes on in the next") {
        const std::string line(kMaxResultsPageBytes + 10, 'x');
        const std::string text = line + "\n{}\n";
        const auto pages = all_pages(text, 5);
        REQUIRE(pages.size() == 2);
        CHECK(pages[0].size() == kMaxResultsPageBytes);
        CHECK(pages[1] == std::string(10, 'x') + "\n{}\n");
    }

    TEST_CASE("a token past the end is refused and one at the end is an empty last page") {
        const std::string text = "{}\n{}\n";
        CHECK_THROWS_AS(page_of(text, ResultsPageQuery{1, 7}), ControlError);
        const ResultsPage last = page_of(text, ResultsPageQuery{1, 6});
        CHECK(last.lines.empty());
        CHECK_FALSE(last.next);
    }

    TEST_CASE("a stream that breaks is an error, not a short page") {
        StringByteStream stream(std::string(200'000, 'x'), 1 << 20, 70'000);
        CHECK_THROWS_AS(read_results_page(stream, ResultsPageQuery{10, 0}), std::runtime_error);
    }
}
