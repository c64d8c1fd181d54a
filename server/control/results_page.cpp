#include "results_page.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "control_request.hpp"
#include "whole_number.hpp"

namespace rekmock::control {
namespace {

constexpr std::size_t kReadBytes = 64 * 1024;

// The token's text is the page's byte offset in decimal, encoded so that clients pass it back
// rather than compute one.
std::uint64_t offset_of(const std::string& token) {
    const auto offset = whole_number<std::uint64_t>(page_token_text(token).value_or(""));
    if (!offset) {
        bad_request("NextToken is not one a page of GET /_mock/jobs/{JobId}/results gave");
    }
    return *offset;
}

}  // namespace

std::optional<ResultsPageQuery> parse_results_page_query(const Params& query) {
    const auto lines = query.find("MaxLines");
    const auto token = query.find("NextToken");
    if (lines == query.end() && token == query.end()) {
        return std::nullopt;
    }
    ResultsPageQuery page;
    if (lines != query.end()) {
        page.max_lines = whole_number_param(lines->first, lines->second, kMaxResultsPageLines);
    }
    if (token != query.end() && !token->second.empty()) {
        page.from = offset_of(token->second);
    }
    return page;
}

ResultsPage read_results_page(service::ByteStream& stream, const ResultsPageQuery& query) {
    if (query.from > stream.size()) {
        bad_request("NextToken is past the end of the results file: it changed since that page");
    }
    std::vector<char> buffer(kReadBytes);
    for (std::uint64_t skip = query.from; skip > 0;) {
        const std::size_t got = stream.read(
            buffer.data(), static_cast<std::size_t>(std::min<std::uint64_t>(skip, buffer.size())));
        if (got == 0) {
            break;
        }
        skip -= got;
    }
    ResultsPage page;
    std::size_t lines = 0;
    bool full = false;
    while (!full) {
        const std::size_t got = stream.read(buffer.data(), buffer.size());
        if (got == 0) {
            break;
        }
        for (std::size_t at = 0; at < got && !full;) {
            const std::size_t room = kMaxResultsPageBytes - page.lines.size();
            const std::size_t span = std::min(got - at, room);
            const void* newline = std::memchr(buffer.data() + at, '\n', span);
            const std::size_t take =
                newline != nullptr ? static_cast<std::size_t>(static_cast<const char*>(newline) -
                                                              (buffer.data() + at)) +
                                         1
                                   : span;
            page.lines.append(buffer.data() + at, take);
            at += take;
            full = (newline != nullptr && ++lines == query.max_lines) ||
                   page.lines.size() == kMaxResultsPageBytes;
        }
    }
    const std::uint64_t end = query.from + page.lines.size();
    if (full && end < stream.size()) {
        page.next = end;
    }
    return page;
}

std::string results_page_token(std::uint64_t offset) {
    return page_token(std::to_string(offset));
}

}  // namespace rekmock::control
