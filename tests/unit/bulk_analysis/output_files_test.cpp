#include "output_files.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "test_jobs.hpp"

using rekmock::bulk_analysis::LineError;
using rekmock::bulk_analysis::ManifestSummary;
using rekmock::bulk_analysis::ModerationResponse;
using rekmock::bulk_analysis::results_line;

namespace {

// The summary document whole, as write_to() passes it on.
std::string text_of(ManifestSummary& summary) {
    std::string text;
    summary.write_to([&text](std::string_view chunk) { text += chunk; });
    return text;
}

}  // namespace

TEST_SUITE("output_files") {
    TEST_CASE("a results line is a DetectModerationLabels response under its source-ref") {
        CHECK(results_line("s3://b/1.jpg", ModerationResponse{"7.0", std::nullopt, {}}) ==
              R"({"source-ref":"s3://b/1.jpg","detect-moderation-labels":{"ModerationLabels":[],)"
              R"("ModerationModelVersion":"7.0","ContentTypes":[]}})"
              "\n");
        CHECK(results_line("s3://b/\"q\"\n", ModerationResponse{"7.0", "arn:adapter", {}}) ==
              R"({"source-ref":"s3://b/\"q\"\n","detect-moderation-labels":{"ModerationLabels":[],)"
              R"("ModerationModelVersion":"7.0","ProjectVersion":"arn:adapter","ContentTypes":[]}})"
              "\n");
    }

    TEST_CASE("labels and content types are written as DetectModerationLabels sends them") {
        const auto& taxonomy = rekmock::moderation::ModerationTaxonomy::aws_v7();
        rekmock::moderation::ImageScript script;
        script.labels = {{"Weapons", 93}, {"Smoking", 72.7257}};
        script.content_types = {{"Animated", 88.5}, {"Illustrated", 1e-5}};
        const ModerationResponse response{"7.0", "arn:adapter",
                                          rekmock::moderation::answer_for(script, 50, taxonomy)};
        CHECK(results_line("s3://b/1.jpg", response) ==
              R"({"source-ref":"s3://b/1.jpg","detect-moderation-labels":{"ModerationLabels":[)"
              R"({"Confidence":93.0,"Name":"Weapons","ParentName":"Violence","TaxonomyLevel":2},)"
              R"({"Confidence":93.0,"Name":"Violence","ParentName":"","TaxonomyLevel":1},)"
              R"({"Confidence":72.7257,"Name":"Smoking","ParentName":)"
              R"("Drugs & Tobacco Paraphernalia & Use","TaxonomyLevel":3},)"
              R"({"Confidence":72.7257,"Name":"Drugs & Tobacco Paraphernalia & Use",)"
              R"("ParentName":"Drugs & Tobacco","TaxonomyLevel":2},)"
              R"({"Confidence":72.7257,"Name":"Drugs & Tobacco","ParentName":"",)"
              R"("TaxonomyLevel":1}],"ModerationModelVersion":"7.0","ProjectVersion":)"
              R"("arn:adapter","ContentTypes":[{"Confidence":88.5,"Name":"Animated"},)"
              R"({"Confidence":1e-05,"Name":"Illustrated"}]}})"
              "\n");
    }

    TEST_CASE("the summary counts lines and lists errors as AWS spells them") {
        ManifestSummary summary;
        CHECK(text_of(summary) ==
              R"({"version":"1.0","statistics":{"total-json-lines":0,"valid-json-lines":0,)"
              R"("invalid-json-lines":0},"errors":[]})");
        summary.add_valid();
        summary.add_error(2, LineError{"ERROR_INVALID_JSON_LINE", "bad", std::nullopt});
        summary.add_valid();
        summary.add_error(4, LineError{"ERROR_NO_SUCH_KEY", "gone", "s3://b/k.png"});
        CHECK(summary.valid() == 2);
        CHECK(summary.invalid() == 2);
        CHECK(summary.first_error() == "line 2: ERROR_INVALID_JSON_LINE: bad");
        CHECK(text_of(summary) ==
              R"({"version":"1.0","statistics":{"total-json-lines":4,"valid-json-lines":2,)"
              R"("invalid-json-lines":2},"errors":[{"line-numer":2,"code":)"
              R"("ERROR_INVALID_JSON_LINE","message":"bad"},{"line-numer":4,"source-ref":)"
              R"("s3://b/k.png","code":"ERROR_NO_SUCH_KEY","message":"gone"}]})");
    }

    TEST_CASE("the errors are spooled to a file with no name, and the document is as before") {
        const rekmock::testing::TempFolder spool;
        ManifestSummary summary(spool.path());
        // As many errors as fill several 64 KiB chunks, one longer than a chunk, and one whose
        // text needs escaping.
        std::string expected_errors;
        const std::string long_ref = "s3://b/" + std::string(70 * 1024, 'k');
        for (std::uint64_t line = 1; line <= 3000; ++line) {
            const bool is_long = line == 1500;
            summary.add_error(line, LineError{"ERROR_NO_SUCH_KEY", "gone \"quoted\"",
                                              is_long ? long_ref : "s3://b/k.png"});
            expected_errors += (line == 1 ? "" : ",") + std::string("{\"line-numer\":") +
                               std::to_string(line) + ",\"source-ref\":\"" +
                               (is_long ? long_ref : "s3://b/k.png") +
                               "\",\"code\":\"ERROR_NO_SUCH_KEY\",\"message\":"
                               "\"gone \\\"quoted\\\"\"}";
            if (line % 1000 == 0) {
                summary.add_valid();
            }
        }
        CHECK(std::filesystem::is_empty(spool.path()));  // nothing to leave behind
        const std::string head =
            R"({"version":"1.0","statistics":{"total-json-lines":3003,"valid-json-lines":3,)"
            R"("invalid-json-lines":3000},"errors":[)";
        std::string written;
        std::size_t largest = 0;
        summary.write_to([&](std::string_view chunk) {
            written += chunk;
            largest = std::max(largest, chunk.size());
        });
        CHECK(written == head + expected_errors + "]}");
        CHECK(largest <= 64 * 1024);
        CHECK(text_of(summary) == written);  // and again, from the start
    }

    TEST_CASE("a spool folder that cannot hold a file is an error naming it") {
        const rekmock::testing::TempFolder root;
        ManifestSummary summary(root.path() / "absent");
        summary.add_valid();
        CHECK(text_of(summary).ends_with(R"("errors":[]})"));  // no error, no spool
        CHECK_THROWS_WITH_AS(summary.add_error(1, LineError{"E", "m", std::nullopt}),
                             doctest::Contains((root.path() / "absent").c_str()),
                             std::runtime_error);
    }
}
