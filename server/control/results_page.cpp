#include "results_page.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>
#include <vector>

#include "base64url.hpp"
#include "control_request.hpp"

namespace rekmock::control {
namespace {

constexpr std::size_t kReadBytes = 64 * 1024;

// The whole number `text` spells, if it is one and fits.
template <typename Number>
std::optional<Number> whole_number(std::string_view text) {
    Number parsed = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return parsed;
}

// The token's text is the page's byte offset in decimal, encoded so that clients pass it back
// rather than compute one.
std::uint64_t offset_of(const std::string& token) {
    const auto bytes = service::base64url_decode(token);
    const auto offset = bytes ? whole_number<std::uint64_t>(std::string_view(
                                    reinterpret_cast<const char*>(bytes->data()), bytes->size()))
                              : std::nullopt;
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
        const auto parsed = whole_number<std::size_t>(lines->second);
        if (!parsed || *parsed < 1 || *parsed > kMaxResultsPageLines) {
            bad_request("MaxLines must be a whole number from 1 to " +
                        std::to_string(kMaxResultsPageLines));
        }
        page.max_lines = *parsed;
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
    const std::string text = std::to_string(offset);
    return service::base64url_encode(std::vector<unsigned char>(text.begin(), text.end()));
}

}  // namespace rekmock::control
