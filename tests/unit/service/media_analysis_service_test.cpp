#include "media_analysis_service.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "job_store.hpp"
#include "manual_clock.hpp"
#include "service_error.hpp"
#include "test_jobs.hpp"

using rekmock::MediaAnalysisJob;
using rekmock::service::ErrorKind;
using rekmock::service::kDefaultMaxResults;
using rekmock::service::ListMediaAnalysisJobsRequest;
using rekmock::service::ListMediaAnalysisJobsResponse;
using rekmock::service::MediaAnalysisService;
using rekmock::service::ServiceError;
using rekmock::storage::JobStore;
using rekmock::testing::make_job;

namespace {

// `count` jobs in a scrambled insertion order, with runs of equal creation times.
std::vector<MediaAnalysisJob> numbered_jobs(int count) {
    std::vector<MediaAnalysisJob> jobs;
    for (int i = 0; i < count; ++i) {
        const int scrambled = (i * 37) % count;
        jobs.push_back(make_job("job-" + std::to_string(scrambled),
                                1'700'000'000'000 + 1000 * (scrambled / 3)));
    }
    return jobs;
}

std::vector<std::string> expected_order(std::vector<MediaAnalysisJob> jobs) {
    std::sort(jobs.begin(), jobs.end(), [](const MediaAnalysisJob& a, const MediaAnalysisJob& b) {
        if (a.creation_timestamp != b.creation_timestamp) {
            return a.creation_timestamp > b.creation_timestamp;
        }
        return a.job_id > b.job_id;
    });
    std::vector<std::string> ids;
    for (const auto& job : jobs) {
        ids.push_back(job.job_id);
    }
    return ids;
}

std::vector<std::string> ids_of(const ListMediaAnalysisJobsResponse& response) {
    std::vector<std::string> ids;
    for (const auto& job : response.media_analysis_jobs) {
        ids.push_back(job.job_id);
    }
    return ids;
}

ListMediaAnalysisJobsRequest request(std::optional<std::int64_t> max_results,
                                     std::optional<std::string> token = std::nullopt) {
    return ListMediaAnalysisJobsRequest{rekmock::Scope{}, std::move(token), max_results};
}

// Follows NextToken to the end; checks that only the last page lacks one.
std::vector<std::string> walk(MediaAnalysisService& service, std::int64_t page_size,
                              std::size_t* pages = nullptr) {
    std::vector<std::string> ids;
    std::optional<std::string> token;
    std::size_t count = 0;
    for (;;) {
        const auto page = service.list_media_analysis_jobs(request(page_size, token));
        ++count;
        REQUIRE(count <= 10000);
        CHECK(page.media_analysis_jobs.size() <= static_cast<std::size_t>(page_size));
        const auto page_ids = ids_of(page);
        ids.insert(ids.end(), page_ids.begin(), page_ids.end());
        if (!page.next_token) {
            break;
        }
        CHECK(page.media_analysis_jobs.size() == static_cast<std::size_t>(page_size));
        token = page.next_token;
    }
    if (pages != nullptr) {
        *pages = count;
    }
    return ids;
}

struct Caught {
    ErrorKind kind;
    std::string message;
};

std::optional<Caught> error_of(MediaAnalysisService& service,
                               const ListMediaAnalysisJobsRequest& r) {
    try {
        service.list_media_analysis_jobs(r);
    } catch (const ServiceError& e) {
        return Caught{e.kind(), e.what()};
    }
    return std::nullopt;
}

using rekmock::MediaAnalysisJobStatus;
using rekmock::Scope;
using rekmock::service::GetMediaAnalysisJobRequest;
using rekmock::service::LifecycleDurations;
using rekmock::service::ServiceConfig;
using rekmock::service::StartMediaAnalysisJobRequest;
using rekmock::testing::ManualClock;
using std::chrono::milliseconds;

const Scope kOtherAccount{"111122223333", "us-east-1"};
const Scope kOtherRegion{"000000000000", "eu-west-1"};

// The settings of a valid start request.
MediaAnalysisJob start_settings(const std::string& name = "manifests/a.jsonl") {
    MediaAnalysisJob job;
    job.job_name = "my-job";
    job.operations_config.detect_moderation_labels =
        rekmock::MediaAnalysisDetectModerationLabelsConfig{50.0, std::nullopt};
    job.input.s3_object = rekmock::S3Object{"in-bucket", name, std::nullopt};
    job.output_config = rekmock::MediaAnalysisOutputConfig{"out-bucket", "results/"};
    return job;
}

StartMediaAnalysisJobRequest start_request(std::optional<std::string> token,
                                           MediaAnalysisJob settings = start_settings(),
                                           Scope caller = {}) {
    return StartMediaAnalysisJobRequest{std::move(caller), std::move(token), std::move(settings)};
}

template <typename Action>
std::optional<Caught> service_error_of(Action&& action) {
    try {
        action();
    } catch (const ServiceError& e) {
        return Caught{e.kind(), e.what()};
    }
    return std::nullopt;
}

bool is_job_id(const std::string& id) {
    return id.size() == 64 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

const LifecycleDurations kSecondEach{milliseconds(1000), milliseconds(1000), milliseconds(1000)};

}  // namespace

TEST_SUITE("media_analysis_service") {
    TEST_CASE("an empty store answers one empty page without a token") {
        JobStore store(":memory:");
        MediaAnalysisService service(store);
        const auto page = service.list_media_analysis_jobs({});
        CHECK(page.media_analysis_jobs.empty());
        CHECK_FALSE(page.next_token.has_value());
    }

    TEST_CASE("MaxResults defaults to 100") {
        CHECK(kDefaultMaxResults == 100);
        JobStore store(":memory:");
        store.put_all(numbered_jobs(150));
        MediaAnalysisService service(store);
        const auto page = service.list_media_analysis_jobs({});
        CHECK(page.media_analysis_jobs.size() == 100);
        REQUIRE(page.next_token.has_value());
        const auto rest = service.list_media_analysis_jobs(request(std::nullopt, page.next_token));
        CHECK(rest.media_analysis_jobs.size() == 50);
        CHECK_FALSE(rest.next_token.has_value());
    }

    TEST_CASE("MaxResults outside 1..100 is an InvalidParameter naming MaxResults") {
        JobStore store(":memory:");
        store.put_all(numbered_jobs(3));
        MediaAnalysisService service(store);
        SUBCASE("0") {
            const auto error = error_of(service, request(0));
            REQUIRE(error.has_value());
            CHECK(error->kind == ErrorKind::InvalidParameter);
            CHECK(error->message ==
                  "1 validation error detected: Value '0' at 'MaxResults' failed to satisfy "
                  "constraint: Member must have value greater than or equal to 1");
        }
        SUBCASE("101") {
            const auto error = error_of(service, request(101));
            REQUIRE(error.has_value());
            CHECK(error->kind == ErrorKind::InvalidParameter);
            CHECK(error->message ==
                  "1 validation error detected: Value '101' at 'MaxResults' failed to satisfy "
                  "constraint: Member must have value less than or equal to 100");
        }
        SUBCASE("negative and huge") {
            for (const std::int64_t value : {std::int64_t{-1}, std::int64_t{2147483647}}) {
                CAPTURE(value);
                const auto error = error_of(service, request(value));
                REQUIRE(error.has_value());
                CHECK(error->kind == ErrorKind::InvalidParameter);
                CHECK(error->message.find("'MaxResults'") != std::string::npos);
            }
        }
        SUBCASE("1 and 100 are accepted") {
            CHECK(service.list_media_analysis_jobs(request(1)).media_analysis_jobs.size() == 1);
            CHECK(service.list_media_analysis_jobs(request(100)).media_analysis_jobs.size() == 3);
        }
        SUBCASE("MaxResults is checked before the token") {
            const auto error = error_of(service, request(0, "garbage"));
            REQUIRE(error.has_value());
            CHECK(error->kind == ErrorKind::InvalidParameter);
        }
    }

    TEST_CASE("a token from a page resumes right after that page") {
        JobStore store(":memory:");
        const auto jobs = numbered_jobs(10);
        store.put_all(jobs);
        MediaAnalysisService service(store);
        const auto expected = expected_order(jobs);

        const auto first = service.list_media_analysis_jobs(request(4));
        CHECK(ids_of(first) == std::vector<std::string>(expected.begin(), expected.begin() + 4));
        REQUIRE(first.next_token.has_value());
        const auto second = service.list_media_analysis_jobs(request(4, first.next_token));
        CHECK(ids_of(second) ==
              std::vector<std::string>(expected.begin() + 4, expected.begin() + 8));
        // The same token again gives the same page: tokens are positions, not sessions.
        CHECK(ids_of(service.list_media_analysis_jobs(request(4, first.next_token))) ==
              ids_of(second));
        // The page size may change between calls.
        const auto rest = service.list_media_analysis_jobs(request(100, first.next_token));
        CHECK(ids_of(rest) == std::vector<std::string>(expected.begin() + 4, expected.end()));
        CHECK_FALSE(rest.next_token.has_value());
    }

    TEST_CASE("an invalid token is an InvalidPaginationToken error") {
        JobStore store(":memory:");
        store.put_all(numbered_jobs(5));
        MediaAnalysisService service(store);
        const auto token = service.list_media_analysis_jobs(request(2)).next_token;
        REQUIRE(token.has_value());

        SUBCASE("garbage") {
            for (const char* garbage : {"garbage", "x", "AAAA", " ", "null"}) {
                INFO(std::string(garbage));
                const auto error = error_of(service, request(2, garbage));
                REQUIRE(error.has_value());
                CHECK(error->kind == ErrorKind::InvalidPaginationToken);
            }
        }
        SUBCASE("tampered") {
            std::string tampered = *token;
            tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
            const auto error = error_of(service, request(2, tampered));
            REQUIRE(error.has_value());
            CHECK(error->kind == ErrorKind::InvalidPaginationToken);
        }
        SUBCASE("issued by another store") {
            JobStore other_store(":memory:");
            other_store.put_all(numbered_jobs(5));
            MediaAnalysisService other(other_store);
            const auto error = error_of(other, request(2, token));
            REQUIRE(error.has_value());
            CHECK(error->kind == ErrorKind::InvalidPaginationToken);
        }
        SUBCASE("over-long") {
            const auto error = error_of(service, request(2, *token + std::string(1024, 'A')));
            REQUIRE(error.has_value());
            CHECK(error->kind == ErrorKind::InvalidPaginationToken);
        }
    }

    TEST_CASE("an empty-string token is treated as absent") {
        JobStore store(":memory:");
        store.put_all(numbered_jobs(5));
        MediaAnalysisService service(store);
        const auto from_top = service.list_media_analysis_jobs(request(2));
        const auto with_empty = service.list_media_analysis_jobs(request(2, std::string()));
        CHECK(ids_of(with_empty) == ids_of(from_top));
        CHECK(with_empty.next_token == from_top.next_token);
    }

    TEST_CASE("NextToken is absent exactly on the last page") {
        JobStore store(":memory:");
        MediaAnalysisService service(store);
        SUBCASE("count equal to the page size: one page") {
            store.put_all(numbered_jobs(5));
            const auto page = service.list_media_analysis_jobs(request(5));
            CHECK(page.media_analysis_jobs.size() == 5);
            CHECK_FALSE(page.next_token.has_value());
        }
        SUBCASE("one more than the page size: two pages") {
            store.put_all(numbered_jobs(6));
            const auto page = service.list_media_analysis_jobs(request(5));
            CHECK(page.media_analysis_jobs.size() == 5);
            REQUIRE(page.next_token.has_value());
            const auto last = service.list_media_analysis_jobs(request(5, page.next_token));
            CHECK(last.media_analysis_jobs.size() == 1);
            CHECK_FALSE(last.next_token.has_value());
        }
        SUBCASE("page size 1 over 3 jobs") {
            store.put_all(numbered_jobs(3));
            std::size_t pages = 0;
            CHECK(walk(service, 1, &pages).size() == 3);
            CHECK(pages == 3);
        }
    }

    TEST_CASE("a walk returns the full ordered list at every page size") {
        JobStore store(":memory:");
        const auto jobs = numbered_jobs(230);
        store.put_all(jobs);
        MediaAnalysisService service(store);
        const auto expected = expected_order(jobs);
        for (const std::int64_t size : {1, 2, 3, 7, 100}) {
            CAPTURE(size);
            std::size_t pages = 0;
            const auto ids = walk(service, size, &pages);
            CHECK(ids == expected);
            CHECK(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
            CHECK(pages == (expected.size() + static_cast<std::size_t>(size) - 1) /
                               static_cast<std::size_t>(size));
        }
    }

    TEST_CASE("a job inserted mid-walk above the cursor is not returned later") {
        JobStore store(":memory:");
        const auto jobs = numbered_jobs(9);
        store.put_all(jobs);
        MediaAnalysisService service(store);
        const auto first = service.list_media_analysis_jobs(request(3));
        REQUIRE(first.next_token.has_value());
        store.put_all({make_job("brand-new", 1'900'000'000'000), make_job("ancient", 1)});
        std::vector<std::string> seen = ids_of(first);
        std::optional<std::string> token = first.next_token;
        while (token) {
            const auto page = service.list_media_analysis_jobs(request(3, token));
            const auto ids = ids_of(page);
            seen.insert(seen.end(), ids.begin(), ids.end());
            token = page.next_token;
        }
        auto expected = expected_order(jobs);
        expected.push_back("ancient");
        CHECK(seen == expected);
    }

    TEST_CASE("tokens of a file store survive reopening it") {
        const rekmock::testing::TempPath path(".db");
        const auto jobs = numbered_jobs(6);
        std::optional<std::string> token;
        {
            JobStore store(path.str());
            store.put_all(jobs);
            MediaAnalysisService service(store);
            token = service.list_media_analysis_jobs(request(2)).next_token;
        }
        REQUIRE(token.has_value());
        JobStore reopened(path.str());
        MediaAnalysisService service(reopened);
        const auto page = service.list_media_analysis_jobs(request(2, token));
        const auto expected = expected_order(jobs);
        CHECK(ids_of(page) == std::vector<std::string>(expected.begin() + 2, expected.begin() + 4));
    }

    TEST_CASE("jobs come back with every member intact") {
        JobStore store(":memory:");
        const auto jobs = rekmock::testing::rich_jobs();
        store.put_all(jobs);
        MediaAnalysisService service(store);
        const auto page = service.list_media_analysis_jobs({});
        REQUIRE(page.media_analysis_jobs.size() == jobs.size());
        for (const auto& job : jobs) {
            CAPTURE(job.job_id);
            CHECK(std::find(page.media_analysis_jobs.begin(), page.media_analysis_jobs.end(),
                            job) != page.media_analysis_jobs.end());
        }
    }

    TEST_CASE("start refuses invalid settings and tokens with InvalidParameter, storing nothing") {
        JobStore store(":memory:");
        ManualClock clock;
        MediaAnalysisService service(store, clock);
        struct Bad {
            std::string label;
            StartMediaAnalysisJobRequest request;
            std::string member;
        };
        MediaAnalysisJob bad_name = start_settings();
        bad_name.job_name = "a b";
        MediaAnalysisJob bad_bucket = start_settings();
        bad_bucket.output_config.s3_bucket = "ab";
        MediaAnalysisJob bad_confidence = start_settings();
        bad_confidence.operations_config.detect_moderation_labels->min_confidence = 100.001;
        const std::vector<Bad> cases{
            {"token with a space", start_request("a b"), "ClientRequestToken"},
            {"empty token", start_request(""), "ClientRequestToken"},
            {"65-character token", start_request(std::string(65, 't')), "ClientRequestToken"},
            {"JobName", start_request(std::nullopt, bad_name), "JobName"},
            {"S3Bucket", start_request("tok", bad_bucket), "OutputConfig.S3Bucket"},
            {"MinConfidence", start_request(std::nullopt, bad_confidence),
             "OperationsConfig.DetectModerationLabels.MinConfidence"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.label);
            const auto error =
                service_error_of([&] { service.start_media_analysis_job(c.request); });
            REQUIRE(error.has_value());
            CHECK(error->kind == ErrorKind::InvalidParameter);
            CHECK(error->message.find("at '" + c.member + "'") != std::string::npos);
        }
        CHECK(store.count() == 0);
        // A 64-character token is fine.
        CHECK(is_job_id(
            service.start_media_analysis_job(start_request(std::string(64, 't'))).job_id));
    }

    TEST_CASE("a started job with zero durations is SUCCEEDED at once, in the caller's scope") {
        JobStore store(":memory:");
        ManualClock clock(rekmock::testing::at_millis(1'700'000'000'123));
        MediaAnalysisService service(store, clock);
        const auto response =
            service.start_media_analysis_job(start_request("tok", start_settings(), kOtherRegion));
        CHECK(is_job_id(response.job_id));
        const auto job =
            service
                .get_media_analysis_job(GetMediaAnalysisJobRequest{kOtherRegion, response.job_id})
                .job;
        CHECK(job.job_id == response.job_id);
        CHECK(job.scope == kOtherRegion);
        CHECK(job.status == MediaAnalysisJobStatus::Succeeded);
        CHECK(job.creation_timestamp == clock.now());
        CHECK(job.completion_timestamp == clock.now());
        CHECK(job.job_name == "my-job");
        CHECK(job.input == start_settings().input);
        CHECK(job.output_config == start_settings().output_config);
        CHECK(job.operations_config == start_settings().operations_config);
        REQUIRE(job.results.has_value());
        REQUIRE(job.results->s3_object.has_value());
        CHECK(job.results->s3_object->bucket == "out-bucket");
        CHECK(job.results->s3_object->name == "results/" + response.job_id + "-results.jsonl");
        REQUIRE(job.manifest_summary.has_value());
        REQUIRE(job.manifest_summary->s3_object.has_value());
        CHECK(job.manifest_summary->s3_object->name ==
              "results/" + response.job_id + "-manifest-summary.json");
    }

    TEST_CASE("a failure trigger in the input name ends the job FAILED with that code") {
        JobStore store(":memory:");
        ManualClock clock;
        MediaAnalysisService service(store, clock, ServiceConfig{kSecondEach, 100, std::nullopt});
        const auto id = service
                            .start_media_analysis_job(start_request(
                                std::nullopt, start_settings("in/fail-access-denied.jsonl")))
                            .job_id;
        const auto running = service.get_media_analysis_job({Scope{}, id}).job;
        CHECK(running.status == MediaAnalysisJobStatus::Created);
        CHECK_FALSE(running.failure_details.has_value());
        clock.advance(milliseconds(3000));
        const auto done = service.get_media_analysis_job({Scope{}, id}).job;
        CHECK(done.status == MediaAnalysisJobStatus::Failed);
        REQUIRE(done.failure_details.has_value());
        CHECK(done.failure_details->code == rekmock::MediaAnalysisJobFailureCode::AccessDenied);
        CHECK_FALSE(done.results.has_value());
    }

    TEST_CASE("ClientRequestToken makes a start idempotent within its scope") {
        JobStore store(":memory:");
        ManualClock clock;
        MediaAnalysisService service(store, clock, ServiceConfig{kSecondEach, 100, std::nullopt});
        const auto first = service.start_media_analysis_job(start_request("tok-1")).job_id;
        CHECK(store.count() == 1);

        SUBCASE("same token and parameters: the same job, later too") {
            CHECK(service.start_media_analysis_job(start_request("tok-1")).job_id == first);
            clock.advance(milliseconds(500));
            CHECK(service.start_media_analysis_job(start_request("tok-1")).job_id == first);
            clock.advance(milliseconds(10'000));  // after the job finished
            CHECK(service.start_media_analysis_job(start_request("tok-1")).job_id == first);
            CHECK(store.count() == 1);
        }
        SUBCASE("same token, other parameters: IdempotentParameterMismatch") {
            MediaAnalysisJob other = start_settings();
            other.operations_config.detect_moderation_labels->min_confidence = 50.5;
            const auto error = service_error_of(
                [&] { service.start_media_analysis_job(start_request("tok-1", other)); });
            REQUIRE(error.has_value());
            CHECK(error->kind == ErrorKind::IdempotentParameterMismatch);
            CHECK(store.count() == 1);

            MediaAnalysisJob empty_config = start_settings();
            empty_config.operations_config.detect_moderation_labels =
                rekmock::MediaAnalysisDetectModerationLabelsConfig{};
            MediaAnalysisJob no_config = start_settings();
            no_config.operations_config.detect_moderation_labels.reset();
            for (const auto& settings : {empty_config, no_config}) {
                const auto mismatch = service_error_of(
                    [&] { service.start_media_analysis_job(start_request("tok-1", settings)); });
                REQUIRE(mismatch.has_value());
                CHECK(mismatch->kind == ErrorKind::IdempotentParameterMismatch);
            }
            CHECK(store.count() == 1);
        }
        SUBCASE("another token: another job") {
            const auto second = service.start_media_analysis_job(start_request("tok-2")).job_id;
            CHECK(second != first);
            CHECK(store.count() == 2);
        }
        SUBCASE("no token: a new job each time") {
            std::set<std::string> ids{first};
            for (int i = 0; i < 3; ++i) {
                ids.insert(service.start_media_analysis_job(start_request(std::nullopt)).job_id);
            }
            CHECK(ids.size() == 4);
            CHECK(store.count() == 4);
        }
        SUBCASE("the same token in another scope starts a separate job") {
            const auto in_account = service
                                        .start_media_analysis_job(
                                            start_request("tok-1", start_settings(), kOtherAccount))
                                        .job_id;
            const auto in_region = service
                                       .start_media_analysis_job(
                                           start_request("tok-1", start_settings(), kOtherRegion))
                                       .job_id;
            CHECK(in_account != first);
            CHECK(in_region != first);
            CHECK(in_account != in_region);
            CHECK(store.count() == 3);
            CHECK(service
                      .start_media_analysis_job(
                          start_request("tok-1", start_settings(), kOtherAccount))
                      .job_id == in_account);
            CHECK(store.count() == 3);
        }
    }

    TEST_CASE("LimitExceeded once the scope has max_unfinished_jobs unfinished jobs") {
        JobStore store(":memory:");
        ManualClock clock;
        MediaAnalysisService service(store, clock, ServiceConfig{kSecondEach, 2, std::nullopt});
        const auto start_time = clock.now();
        service.start_media_analysis_job(start_request(std::nullopt));
        clock.advance(milliseconds(1));
        service.start_media_analysis_job(start_request("second"));
        const auto limited = [&] {
            return service_error_of(
                [&] { service.start_media_analysis_job(start_request("third")); });
        };
        const auto error = limited();
        REQUIRE(error.has_value());
        CHECK(error->kind == ErrorKind::LimitExceeded);
        CHECK(store.count() == 2);

        // Other scopes have their own limit.
        CHECK_NOTHROW(service.start_media_analysis_job(
            start_request("third", start_settings(), kOtherAccount)));
        CHECK_NOTHROW(service.start_media_analysis_job(
            start_request("third", start_settings(), kOtherRegion)));

        // One millisecond before the first job completes: still limited.
        clock.set(start_time + milliseconds(2999));
        REQUIRE(limited().has_value());
        CHECK(limited()->kind == ErrorKind::LimitExceeded);
        // At its completion it is finished, and the refused token was never consumed.
        clock.set(start_time + milliseconds(3000));
        const auto third = service.start_media_analysis_job(start_request("third")).job_id;
        CHECK(is_job_id(third));
        CHECK(store.count() == 5);
        CHECK(service.get_media_analysis_job({Scope{}, third}).job.status ==
              MediaAnalysisJobStatus::Created);
    }

    TEST_CASE("get refuses malformed ids and ids of other scopes") {
        JobStore store(":memory:");
        ManualClock clock;
        MediaAnalysisService service(store, clock);
        store.put_all({make_job("loaded-job", 1000)});
        const auto started = service.start_media_analysis_job(start_request(std::nullopt)).job_id;
        CHECK(service.get_media_analysis_job({Scope{}, "loaded-job"}).job ==
              make_job("loaded-job", 1000));
        CHECK(service.get_media_analysis_job({Scope{}, started}).job.job_id == started);

        SUBCASE("malformed ids") {
            for (const std::string& id :
                 {std::string(), std::string("a b"), std::string(65, 'a'), std::string("job/1")}) {
                CAPTURE(id);
                const auto error = service_error_of([&] {
                    service.get_media_analysis_job({Scope{}, id}).job;
                });
                REQUIRE(error.has_value());
                CHECK(error->kind == ErrorKind::InvalidParameter);
                CHECK(error->message.find("'JobId'") != std::string::npos);
            }
        }
        SUBCASE("unknown ids and other scopes") {
            const std::vector<std::pair<Scope, std::string>> lookups{
                {Scope{}, "unknown"},          {Scope{}, std::string(64, 'a')},
                {kOtherAccount, started},      {kOtherRegion, started},
                {kOtherAccount, "loaded-job"}, {kOtherRegion, "loaded-job"}};
            for (const auto& [scope, id] : lookups) {
                CAPTURE(scope.account);
                CAPTURE(scope.region);
                CAPTURE(id);
                const auto error = service_error_of([&] {
                    service.get_media_analysis_job({scope, id}).job;
                });
                REQUIRE(error.has_value());
                CHECK(error->kind == ErrorKind::ResourceNotFound);
            }
        }
    }

    TEST_CASE("get and list show the lifecycle at the clock's instant, and agree") {
        JobStore store(":memory:");
        ManualClock clock;
        MediaAnalysisService service(store, clock, ServiceConfig{kSecondEach, 100, std::nullopt});
        const auto t0 = clock.now();
        const auto id = service.start_media_analysis_job(start_request("tok")).job_id;
        store.put_all({make_job("loaded", 5)});
        const std::vector<std::pair<std::int64_t, MediaAnalysisJobStatus>> instants{
            {0, MediaAnalysisJobStatus::Created},
            {999, MediaAnalysisJobStatus::Created},
            {1000, MediaAnalysisJobStatus::Queued},
            {1999, MediaAnalysisJobStatus::Queued},
            {2000, MediaAnalysisJobStatus::InProgress},
            {2999, MediaAnalysisJobStatus::InProgress},
            {3000, MediaAnalysisJobStatus::Succeeded},
            {60'000, MediaAnalysisJobStatus::Succeeded}};
        for (const auto& [offset, status] : instants) {
            CAPTURE(offset);
            clock.set(t0 + milliseconds(offset));
            const auto got = service.get_media_analysis_job({Scope{}, id}).job;
            CHECK(got.status == status);
            CHECK(got.creation_timestamp == t0);
            const bool terminal = status == MediaAnalysisJobStatus::Succeeded;
            CHECK(got.completion_timestamp.has_value() == terminal);
            CHECK(got.results.has_value() == terminal);
            CHECK(got.manifest_summary.has_value() == terminal);
            CHECK_FALSE(got.failure_details.has_value());
            const auto listed = service.list_media_analysis_jobs({});
            REQUIRE(listed.media_analysis_jobs.size() == 2);
            CHECK(listed.media_analysis_jobs.front() == got);
            // The loaded job is shown as stored at every instant.
            CHECK(listed.media_analysis_jobs.back() == make_job("loaded", 5));
        }
    }

    TEST_CASE("scopes never see each other's jobs, and tokens are bound to their scope") {
        JobStore store(":memory:");
        ManualClock clock;
        MediaAnalysisService service(store, clock);
        std::vector<MediaAnalysisJob> jobs;
        for (int i = 0; i < 3; ++i) {
            jobs.push_back(make_job("default-" + std::to_string(i), 1000 + i));
            MediaAnalysisJob account = make_job("account-" + std::to_string(i), 2000 + i);
            account.scope = kOtherAccount;
            jobs.push_back(account);
            MediaAnalysisJob region = make_job("region-" + std::to_string(i), 3000 + i);
            region.scope = kOtherRegion;
            jobs.push_back(region);
        }
        store.put_all(jobs);
        const auto started = service
                                 .start_media_analysis_job(
                                     start_request(std::nullopt, start_settings(), kOtherAccount))
                                 .job_id;

        const auto list = [&](const Scope& scope, std::optional<std::string> token,
                              std::optional<std::int64_t> max) {
            return service.list_media_analysis_jobs(
                ListMediaAnalysisJobsRequest{scope, std::move(token), max});
        };
        CHECK(ids_of(list(Scope{}, std::nullopt, std::nullopt)) ==
              std::vector<std::string>{"default-2", "default-1", "default-0"});
        CHECK(ids_of(list(kOtherAccount, std::nullopt, std::nullopt)) ==
              std::vector<std::string>{started, "account-2", "account-1", "account-0"});
        CHECK(ids_of(list(kOtherRegion, std::nullopt, std::nullopt)) ==
              std::vector<std::string>{"region-2", "region-1", "region-0"});
        CHECK(list(Scope{"111122223333", "eu-west-1"}, std::nullopt, std::nullopt)
                  .media_analysis_jobs.empty());

        const auto page = list(Scope{}, std::nullopt, 1);
        REQUIRE(page.next_token.has_value());
        CHECK(ids_of(list(Scope{}, page.next_token, 10)) ==
              std::vector<std::string>{"default-1", "default-0"});
        for (const auto& scope : {kOtherAccount, kOtherRegion}) {
            CAPTURE(scope.account);
            CAPTURE(scope.region);
            const auto error = error_of(
                service, ListMediaAnalysisJobsRequest{scope, page.next_token, std::int64_t{10}});
            REQUIRE(error.has_value());
            CHECK(error->kind == ErrorKind::InvalidPaginationToken);
        }
        // And the other way round.
        const auto other_page = list(kOtherRegion, std::nullopt, 1);
        REQUIRE(other_page.next_token.has_value());
        const auto error = error_of(service, ListMediaAnalysisJobsRequest{
                                                 Scope{}, other_page.next_token, std::int64_t{10}});
        REQUIRE(error.has_value());
        CHECK(error->kind == ErrorKind::InvalidPaginationToken);
    }

    TEST_CASE("answers say whether they hold until the store changes") {
        JobStore store(":memory:");
        ManualClock clock;
        MediaAnalysisService service(store, clock, ServiceConfig{kSecondEach, 100, std::nullopt});
        store.put_all({make_job("a", 5), make_job("b", 6)});
        const auto t0 = clock.now();
        const auto v0 = service.store_version();
        // Loaded jobs are settled whatever their status.
        CHECK(service.list_media_analysis_jobs({}).settled);
        CHECK(service.get_media_analysis_job({Scope{}, "a"}).settled);

        const auto started = service.start_media_analysis_job(start_request("tok")).job_id;
        const auto v1 = service.store_version();
        CHECK(v1.revision == v0.revision);  // a started job is new: no stored job changed
        CHECK(v1.insertions == v0.insertions + 1);
        // A started job is settled from its CompletionTimestamp on.
        CHECK_FALSE(service.list_media_analysis_jobs({}).settled);
        CHECK_FALSE(service.get_media_analysis_job({Scope{}, started}).settled);
        CHECK(service.get_media_analysis_job({Scope{}, "b"}).settled);
        clock.set(t0 + milliseconds(3000));
        CHECK(service.list_media_analysis_jobs({}).settled);
        CHECK(service.get_media_analysis_job({Scope{}, started}).settled);

        store.put_all({make_job("c", 7)});
        CHECK(service.store_version().revision != v1.revision);
    }
}

TEST_SUITE("job retention") {
    // Ten jobs a day apart, the newest created a day before the clock's start.
    struct Aged {
        JobStore store{":memory:"};
        ManualClock clock;
        MediaAnalysisService service;
        static constexpr std::int64_t kDay = 86'400'000;

        Aged()
            : service(store, clock,
                      ServiceConfig{LifecycleDurations{}, 100, milliseconds(5 * kDay + 1000)}) {
            const std::int64_t now = clock.now().time_since_epoch().count();
            std::vector<MediaAnalysisJob> jobs;
            for (int day = 1; day <= 10; ++day) {
                jobs.push_back(make_job("day-" + std::to_string(day), now - day * kDay));
            }
            store.put_all(jobs);
        }
    };

    TEST_CASE("List ends before the jobs past the retention, whatever the page size") {
        Aged aged;
        const std::vector<std::string> kept{"day-1", "day-2", "day-3", "day-4", "day-5"};
        for (const std::int64_t size : {1, 2, 5, 100}) {
            CHECK(walk(aged.service, size) == kept);
        }
        const auto page = aged.service.list_media_analysis_jobs(request(5));
        CHECK(!page.next_token);
        CHECK(!page.settled);
    }

    TEST_CASE("Get of a job past the retention is ResourceNotFound, as AWS answers") {
        Aged aged;
        CHECK(aged.service.get_media_analysis_job(GetMediaAnalysisJobRequest{Scope{}, "day-5"})
                  .job.job_id == "day-5");
        try {
            aged.service.get_media_analysis_job(GetMediaAnalysisJobRequest{Scope{}, "day-6"});
            FAIL("day-6 was found");
        } catch (const ServiceError& e) {
            CHECK(e.kind() == ErrorKind::ResourceNotFound);
        }
    }

    TEST_CASE("jobs leave as the clock moves on") {
        Aged aged;
        aged.clock.advance(milliseconds(2 * Aged::kDay));
        CHECK(walk(aged.service, 2) == std::vector<std::string>{"day-1", "day-2", "day-3"});
    }
}
