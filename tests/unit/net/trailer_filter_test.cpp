#include "trailer_filter.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace http = boost::beast::http;
using rekmock::net::TrailerFilter;

namespace {

std::vector<std::string> lines(const http::fields& fields) {
    std::vector<std::string> result;
    for (const auto& field : fields) {
        result.push_back(std::string(field.name_string()) + ": " + std::string(field.value()));
    }
    return result;
}

}  // namespace

TEST_CASE("fields added after the header are dropped, the header's are kept in order") {
    http::fields fields;
    fields.insert("Host", "h");
    fields.insert("X-Amz-Target", "RekognitionService.ListMediaAnalysisJobs");
    fields.insert("Transfer-Encoding", "chunked");
    const TrailerFilter filter(fields);
    // Beast files a repeated name right after its first occurrence, not at the end.
    fields.insert("X-Amz-Target", "RekognitionService.GetMediaAnalysisJob");
    fields.insert("Authorization", "forged");
    fields.insert("Host", "other");
    filter.drop_trailer(fields);
    CHECK(lines(fields) == std::vector<std::string>{
                               "Host: h", "X-Amz-Target: RekognitionService.ListMediaAnalysisJobs",
                               "Transfer-Encoding: chunked"});
}

TEST_CASE("an empty trailer section changes nothing") {
    http::fields fields;
    fields.insert("Host", "h");
    const TrailerFilter filter(fields);
    filter.drop_trailer(fields);
    CHECK(lines(fields) == std::vector<std::string>{"Host: h"});
}
