#include "media_analysis_service.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "job_store.hpp"
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
}
