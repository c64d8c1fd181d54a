#pragma once

// A page of a results file's lines (GET /_mock/jobs/{JobId}/results?MaxLines=&NextToken=), so
// that a viewer of a large file holds one page, never the file: read from the byte offset the
// token carries to the end of the page's last line.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "byte_stream.hpp"
#include "route_table.hpp"

namespace rekmock::control {

// The most lines a page holds, and its default size when only NextToken is given.
inline constexpr std::size_t kMaxResultsPageLines = 1000;
inline constexpr std::size_t kDefaultResultsPageLines = 100;
// The most bytes a page holds: a longer line is cut there and goes on in the next page.
inline constexpr std::size_t kMaxResultsPageBytes = 1024 * 1024;

// The answer's header field that carries the next page's NextToken, when bytes follow.
inline constexpr const char* kNextTokenHeader = "X-Mock-Next-Token";

struct ResultsPageQuery {
    std::size_t max_lines = kDefaultResultsPageLines;
    std::uint64_t from = 0;  // the byte offset of the page's first line
};

struct ResultsPage {
    std::string lines;  // each with its newline, but a file's last line may have none
    std::optional<std::uint64_t> next;  // where the next page starts, when bytes follow
};

// The page a results request asks for, or std::nullopt for the whole file (neither MaxLines nor
// NextToken given); a BadRequest when one is malformed.
std::optional<ResultsPageQuery> parse_results_page_query(const Params& query);

// The page of `stream` that `query` names, of at most kMaxResultsPageBytes; a BadRequest when
// its offset is past the end. Holds only the page and a read buffer; throws std::runtime_error
// when the stream breaks.
ResultsPage read_results_page(service::ByteStream& stream, const ResultsPageQuery& query);

// The NextToken that names a page starting at byte `offset`.
std::string results_page_token(std::uint64_t offset);

}  // namespace rekmock::control
