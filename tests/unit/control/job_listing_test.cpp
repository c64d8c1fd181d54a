#include "job_listing.hpp"

#include <doctest/doctest.h>

#include <string>

#include "control_request.hpp"
#include "test_jobs.hpp"

using rekmock::JobCursor;
using rekmock::MediaAnalysisJobStatus;
using rekmock::control::ControlError;
using rekmock::control::job_page_token;
using rekmock::control::JobListing;
using rekmock::control::Params;
using rekmock::control::parse_job_listing;

namespace {

std::string refusal(const Params& params) {
    try {
        parse_job_listing(params);
    } catch (const ControlError& e) {
        CHECK(e.code() == "BadRequest");
        return e.what();
    }
    FAIL("not refused");
    return {};
}

}  // namespace

TEST_SUITE("job_listing") {
    TEST_CASE("no listing parameters: the plain dump") {
        CHECK_FALSE(parse_job_listing({}).any());
        CHECK_FALSE(parse_job_listing({{"AccountId", "111122223333"}, {"x", "1"}}).any());
        // A cleared search box filters nothing.
        CHECK_FALSE(parse_job_listing({{"Contains", ""}}).any());
    }

    TEST_CASE("each parameter read") {
        const JobListing listing = parse_job_listing({{"MaxResults", "20"},
                                                      {"Status", "IN_PROGRESS"},
                                                      {"Contains", "NightLY"},
                                                      {"Include", "Lifecycle"},
                                                      {"JobId", "job-1"}});
        CHECK(listing.any());
        CHECK(listing.max_results == 20u);
        CHECK(listing.status == MediaAnalysisJobStatus::InProgress);
        CHECK(listing.contains == "nightly");
        CHECK(listing.include_lifecycle);
        CHECK(listing.job_id == "job-1");
    }

    TEST_CASE("NextToken continues after the job it was made from") {
        const JobCursor cursor{rekmock::testing::at_millis(1'727'784'000'250), "job with spaces"};
        const JobListing listing = parse_job_listing({{"NextToken", job_page_token(cursor)}});
        CHECK(listing.after == cursor);
        const JobCursor early{rekmock::testing::at_millis(-5), "x"};
        CHECK(parse_job_listing({{"NextToken", job_page_token(early)}}).after == early);
    }

    TEST_CASE("bad values are refused, naming the parameter") {
        for (const char* bad : {"0", "1001", "-1", "abc", "", "1.5", "20x"}) {
            CAPTURE(bad);
            CHECK(refusal({{"MaxResults", bad}}).find("MaxResults") != std::string::npos);
        }
        for (const char* bad : {"nope", "", "bXl0b2tlbg", "MTIz", "MTIzIA"}) {
            CAPTURE(bad);
            CHECK(refusal({{"NextToken", bad}}).find("NextToken") != std::string::npos);
        }
        CHECK(refusal({{"Status", "DONE"}}).find("Status") != std::string::npos);
        CHECK(refusal({{"Include", "Bodies"}}).find("Include") != std::string::npos);
    }

    TEST_CASE("matches: Status and Contains on id, name, input and output, any case") {
        auto job = rekmock::testing::make_job("Job-ABC", 1'700'000'000'000);
        job.job_name = "Nightly-Run";
        job.input.s3_object.bucket = "media-in";
        job.input.s3_object.name = "manifests/Batch-7.jsonl";
        job.output_config.s3_bucket = "results-out";
        job.output_config.s3_key_prefix = "moderation/";
        job.status = MediaAnalysisJobStatus::Queued;
        CHECK(parse_job_listing({}).matches(job));
        CHECK(parse_job_listing({{"Status", "QUEUED"}}).matches(job));
        CHECK_FALSE(parse_job_listing({{"Status", "FAILED"}}).matches(job));
        for (const char* text : {"job-abc", "NIGHTLY", "s3://media-in/manifests/batch", "batch-7",
                                 "s3://results-out/moderation/"}) {
            CAPTURE(text);
            CHECK(parse_job_listing({{"Contains", text}}).matches(job));
        }
        CHECK_FALSE(parse_job_listing({{"Contains", "weekly"}}).matches(job));
        CHECK_FALSE(
            parse_job_listing({{"Contains", "job-abc"}, {"Status", "FAILED"}}).matches(job));
    }
}
