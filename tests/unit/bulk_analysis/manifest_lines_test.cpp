#include "manifest_lines.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

// An object held in memory, handed out `step` bytes at a time so lines straddle reads.
class StringReader final : public rekmock::objects::ObjectReader {
  public:
    StringReader(std::string text, std::size_t step) : text_(std::move(text)), step_(step) {}
    std::uint64_t size() const noexcept override { return text_.size(); }
    std::size_t read(char* out, std::size_t capacity) override {
        const std::size_t n = std::min(std::min(capacity, step_), text_.size() - at_);
        text_.copy(out, n, at_);
        at_ += n;
        return n;
    }

  private:
    std::string text_;
    std::size_t step_;
    std::size_t at_ = 0;
};

struct Line {
    std::uint64_t number;
    std::string text;
    bool too_long;
    bool operator==(const Line&) const = default;
};

std::vector<Line> lines_of(const std::string& text, std::size_t max_line = 1000,
                           std::size_t step = 1 << 20) {
    StringReader reader(text, step);
    rekmock::bulk_analysis::ManifestLines lines(reader, max_line);
    std::vector<Line> out;
    while (const auto line = lines.next()) {
        out.push_back(Line{line->number, std::string(line->text), line->too_long});
    }
    return out;
}

}  // namespace

TEST_SUITE("manifest_lines") {
    TEST_CASE("a final newline ends the last line and does not start another") {
        CHECK(lines_of("a\nb\n") == std::vector<Line>{{1, "a", false}, {2, "b", false}});
        CHECK(lines_of("a\nb") == std::vector<Line>{{1, "a", false}, {2, "b", false}});
        CHECK(lines_of("").empty());
        CHECK(lines_of("\n") == std::vector<Line>{{1, "", false}});
    }

    TEST_CASE("blank lines elsewhere are lines, counted from 1, CRLF ends lines too") {
        CHECK(
            lines_of("a\n\n\nb\r\nc\r") ==
            std::vector<Line>{
                {1, "a", false}, {2, "", false}, {3, "", false}, {4, "b", false}, {5, "c", false}});
    }

    TEST_CASE("lines straddling reads come out whole, whatever the read size") {
        std::string text;
        std::vector<Line> expected;
        for (int i = 1; i <= 200; ++i) {
            const std::string line(static_cast<std::size_t>(i % 37),
                                   static_cast<char>('a' + i % 26));
            text += line + "\n";
            expected.push_back(Line{static_cast<std::uint64_t>(i), line, false});
        }
        for (const std::size_t step : {1u, 2u, 3u, 7u, 64u, 4096u}) {
            CAPTURE(step);
            CHECK(lines_of(text, 1000, step) == expected);
        }
    }

    TEST_CASE("a line over the limit is reported too long and not kept, the next is whole") {
        const std::string longer(5000, 'x');
        for (const std::size_t step : {1u, 100u, 1u << 20}) {
            CAPTURE(step);
            CHECK(lines_of("ok\n" + longer + "\nnext\n" + longer, 100, step) ==
                  std::vector<Line>{
                      {1, "ok", false}, {2, "", true}, {3, "next", false}, {4, "", true}});
        }
        CHECK(lines_of(std::string(100, 'y') + "\n", 100) ==
              std::vector<Line>{{1, std::string(100, 'y'), false}});
        CHECK(lines_of(std::string(101, 'y') + "\n", 100) == std::vector<Line>{{1, "", true}});
    }
}
