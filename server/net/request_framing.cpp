#include "request_framing.hpp"

#include <algorithm>
#include <iterator>
#include <vector>

namespace rekmock::net {

namespace {

// Every transfer coding named, in order, across all Transfer-Encoding field lines (which a
// recipient must read as one comma-separated list).
std::vector<std::string_view> transfer_codings(const http::request_header<>& header) {
    std::vector<std::string_view> codings;
    const auto [first, last] = header.equal_range(http::field::transfer_encoding);
    for (auto field = first; field != last; ++field) {
        for (const auto coding : http::token_list{field->value()}) {
            codings.push_back(coding);
        }
    }
    return codings;
}

std::optional<FramingError> check_transfer_encoding(const http::request_header<>& header) {
    if (header.find(http::field::transfer_encoding) == header.end()) {
        return std::nullopt;
    }
    if (header.version() < 11) {
        // RFC 9112 6.1: HTTP/1.0 has no transfer codings, so the framing is faulty.
        return FramingError{http::status::bad_request, "Transfer-Encoding in an HTTP/1.0 request"};
    }
    const auto codings = transfer_codings(header);
    const auto chunked = [](std::string_view coding) { return beast::iequals(coding, "chunked"); };
    // Beast reads anything but a final "chunked" as no body at all, and the body that follows
    // as the next request: the length cannot be known, so 400 and close (RFC 9112 6.3).
    if (codings.empty() || !chunked(codings.back()) ||
        std::count_if(codings.begin(), codings.end(), chunked) != 1) {
        return FramingError{http::status::bad_request,
                            "Transfer-Encoding must end with chunked, applied once"};
    }
    if (codings.size() != 1) {
        return FramingError{http::status::not_implemented,
                            "Transfer codings other than chunked are not supported"};
    }
    return std::nullopt;
}

std::optional<FramingError> check_host(const http::request_header<>& header) {
    const auto [first, last] = header.equal_range(http::field::host);
    const auto count = std::distance(first, last);
    if (count > 1) {
        return FramingError{http::status::bad_request, "More than one Host header field"};
    }
    if (count == 0 && header.version() >= 11) {
        return FramingError{http::status::bad_request, "HTTP/1.1 request without Host"};
    }
    return std::nullopt;
}

}  // namespace

std::optional<FramingError> check_framing(const http::request_header<>& header) {
    if (auto error = check_transfer_encoding(header)) {
        return error;
    }
    return check_host(header);
}

}  // namespace rekmock::net
