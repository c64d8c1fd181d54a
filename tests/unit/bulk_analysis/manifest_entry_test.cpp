#include "manifest_entry.hpp"

#include <doctest/doctest.h>

using rekmock::bulk_analysis::LineError;
using rekmock::bulk_analysis::ManifestEntry;
using rekmock::bulk_analysis::parse_manifest_line;
using rekmock::bulk_analysis::parse_s3_uri;
using rekmock::objects::ObjectRef;

namespace {
LineError error_of(std::string_view line) {
    auto parsed = parse_manifest_line(line);
    REQUIRE(std::holds_alternative<LineError>(parsed));
    return std::get<LineError>(parsed);
}
}  // namespace

TEST_SUITE("manifest_entry") {
    TEST_CASE("source-ref names the image, other members are ignored") {
        auto parsed = parse_manifest_line(
            R"({"source-ref": "s3://my-bucket/a/b c.jpg", "class": 3, "source-ref-metadata": {}})");
        REQUIRE(std::holds_alternative<ManifestEntry>(parsed));
        const auto& entry = std::get<ManifestEntry>(parsed);
        CHECK(entry.source_ref == "s3://my-bucket/a/b c.jpg");
        CHECK(entry.image == ObjectRef{"my-bucket", "a/b c.jpg", std::nullopt});
    }

    TEST_CASE("lines that are not objects, or lack a source-ref string, are invalid") {
        for (const auto* line : {"", "   ", "not json", "[1]", "\"s3://b/k\"", "{\"a\":"}) {
            CAPTURE(line);
            const auto error = error_of(line);
            CHECK(error.code == "ERROR_INVALID_JSON_LINE");
            CHECK_FALSE(error.source_ref.has_value());
        }
        for (const auto* line : {"{}", R"({"source-ref": 3})", R"({"source-ref": null})",
                                 R"({"Source-Ref": "s3://b/k"})"}) {
            CAPTURE(line);
            CHECK(error_of(line).code == "ERROR_MISSING_SOURCE_REF");
        }
    }

    TEST_CASE("a source-ref that is not s3://bucket/key is invalid, and named in the error") {
        for (const auto* ref :
             {"http://b/k", "s3://bucket", "s3://bucket/", "s3:///key", "S3://b/k", "bucket/key"}) {
            CAPTURE(ref);
            const auto error = error_of(std::string(R"({"source-ref": ")") + ref + "\"}");
            CHECK(error.code == "ERROR_INVALID_SOURCE_REF_FORMAT");
            CHECK(error.source_ref == ref);
        }
        CHECK(parse_s3_uri("s3://b/k/") == ObjectRef{"b", "k/", std::nullopt});
    }
}
