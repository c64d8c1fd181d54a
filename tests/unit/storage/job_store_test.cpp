#include "job_store.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sqlite_database.hpp"
#include "test_jobs.hpp"

using rekmock::JobCursor;
using rekmock::MediaAnalysisJob;
using rekmock::MediaAnalysisJobStatus;
using rekmock::storage::JobStore;
using rekmock::storage::StartOutcome;
using rekmock::storage::StorageError;
using rekmock::testing::make_job;

namespace {

std::vector<std::string> ids_of(const std::vector<MediaAnalysisJob>& jobs) {
    std::vector<std::string> ids;
    for (const auto& job : jobs) {
        ids.push_back(job.job_id);
    }
    return ids;
}

JobCursor cursor_of(const MediaAnalysisJob& job) {
    return JobCursor{job.creation_timestamp, job.job_id};
}

// The list order, computed independently of SQLite.
std::vector<MediaAnalysisJob> sorted(std::vector<MediaAnalysisJob> jobs) {
    std::sort(jobs.begin(), jobs.end(), [](const MediaAnalysisJob& a, const MediaAnalysisJob& b) {
        if (a.creation_timestamp != b.creation_timestamp) {
            return a.creation_timestamp > b.creation_timestamp;
        }
        return a.job_id > b.job_id;
    });
    return jobs;
}

// Every page of the store at `page_size`, concatenated; also counts the pages.
std::vector<MediaAnalysisJob> walk(JobStore& store, std::size_t page_size,
                                   std::size_t* pages = nullptr) {
    std::vector<MediaAnalysisJob> all;
    std::optional<JobCursor> after;
    std::size_t count = 0;
    for (;;) {
        const auto page = store.list_page(after, page_size);
        REQUIRE(page.size() <= page_size);
        if (page.empty()) {
            break;
        }
        ++count;
        all.insert(all.end(), page.begin(), page.end());
        after = cursor_of(page.back());
        REQUIRE(count <= 10000);
    }
    if (pages != nullptr) {
        *pages = count;
    }
    return all;
}

// Jobs with many creation-time ties, inserted in an order unrelated to the list order.
std::vector<MediaAnalysisJob> tied_jobs() {
    std::vector<MediaAnalysisJob> jobs;
    const std::int64_t times[] = {1000, 5000, 5000, 5000, 3000, 5000, 1000, 9000, 3000, 5000};
    const char* ids[] = {"k", "b", "z", "a", "m", "B", "c", "x", "n", "Z-_9"};
    for (std::size_t i = 0; i < std::size(times); ++i) {
        jobs.push_back(make_job(ids[i], times[i]));
    }
    return jobs;
}

const rekmock::Scope kOtherAccount{"111122223333", "us-east-1"};
const rekmock::Scope kOtherRegion{"000000000000", "eu-west-1"};

MediaAnalysisJob in_scope(MediaAnalysisJob job, const rekmock::Scope& scope) {
    job.scope = scope;
    return job;
}

// A job as StartMediaAnalysisJob stores it: scheduled, finishing at `completion_millis`.
MediaAnalysisJob started_job(const std::string& id, std::int64_t creation_millis,
                             std::int64_t completion_millis,
                             const rekmock::Scope& scope = rekmock::Scope{}) {
    MediaAnalysisJob job = make_job(id, creation_millis);
    job.scope = scope;
    job.status = MediaAnalysisJobStatus::Succeeded;
    job.schedule = rekmock::LifecycleSchedule{rekmock::testing::at_millis(creation_millis + 1),
                                              rekmock::testing::at_millis(creation_millis + 2)};
    job.completion_timestamp = rekmock::testing::at_millis(completion_millis);
    return job;
}

rekmock::storage::StartRequestKey key(const std::string& token, unsigned char digest) {
    return rekmock::storage::StartRequestKey{token, std::vector<unsigned char>(32, digest)};
}

using Kind = rekmock::storage::StartOutcome::Kind;
constexpr std::int64_t kNoLimit = 1000;

// Whether start() must count `job` as unfinished at `now`, decided without SQLite: a loaded job
// (no schedule) by its stored status, a started one by its CompletionTimestamp.
bool unfinished_at(const MediaAnalysisJob& job, std::int64_t now) {
    if (!job.schedule) {
        return job.status != MediaAnalysisJobStatus::Succeeded &&
               job.status != MediaAnalysisJobStatus::Failed;
    }
    return job.completion_timestamp && *job.completion_timestamp > rekmock::testing::at_millis(now);
}

// The number of unfinished jobs start() counts in `scope` at `now`, read through start() itself:
// it answers LimitReached while that number is at least max_unfinished, so the first max that
// creates the probe is the number plus one. The probe (appended to `probes`) finishes at `now`,
// so it counts at no `now` from then on.
std::int64_t counted_unfinished(JobStore& store, const rekmock::Scope& scope, std::int64_t now,
                                std::vector<MediaAnalysisJob>& probes) {
    const MediaAnalysisJob probe =
        started_job("probe-" + std::to_string(probes.size()), now, now, scope);
    for (std::int64_t max = 0; max <= kNoLimit; ++max) {
        const auto outcome =
            store.start(probe, std::nullopt, max, rekmock::testing::at_millis(now));
        if (outcome.kind == Kind::Created) {
            probes.push_back(probe);
            return max - 1;
        }
        REQUIRE(outcome.kind == Kind::LimitReached);
    }
    FAIL("start never created the probe");
    return -1;
}

}  // namespace

TEST_SUITE("job_store") {
    TEST_CASE("an empty store lists nothing") {
        JobStore store(":memory:");
        CHECK(store.count() == 0);
        CHECK(store.list_page(std::nullopt, 10).empty());
        CHECK(store.list_page(JobCursor{rekmock::testing::at_millis(1), "x"}, 10).empty());
        CHECK(store.location() == ":memory:");
    }

    TEST_CASE("list order is CreationTimestamp descending then JobId descending") {
        JobStore store(":memory:");
        const auto jobs = tied_jobs();
        store.put_all(jobs);
        CHECK(store.count() == static_cast<std::int64_t>(jobs.size()));
        const auto page = store.list_page(std::nullopt, 100);
        // JobId compares bytewise: "Z-_9" < "a" < "b" < "z" and "B" < "Z-_9".
        const std::vector<std::string> expected{"x", "z", "b", "a", "Z-_9",
                                                "B", "n", "m", "k", "c"};
        CHECK(ids_of(page) == expected);
        CHECK(ids_of(page) == ids_of(sorted(jobs)));
    }

    TEST_CASE("keyset pages walk the whole list at every page size") {
        JobStore store(":memory:");
        const auto jobs = tied_jobs();
        store.put_all(jobs);
        const auto expected = ids_of(sorted(jobs));
        for (std::size_t size = 1; size <= jobs.size() + 2; ++size) {
            CAPTURE(size);
            std::size_t pages = 0;
            CHECK(ids_of(walk(store, size, &pages)) == expected);
            CHECK(pages == (jobs.size() + size - 1) / size);
        }
    }

    TEST_CASE("ties spanning a page boundary are neither skipped nor repeated") {
        JobStore store(":memory:");
        std::vector<MediaAnalysisJob> jobs;
        for (const char* id : {"e", "a", "d", "b", "c"}) {
            jobs.push_back(make_job(id, 7777));
        }
        jobs.push_back(make_job("newer", 8888));
        jobs.push_back(make_job("older", 6666));
        store.put_all(jobs);

        const auto first = store.list_page(std::nullopt, 3);
        CHECK(ids_of(first) == std::vector<std::string>{"newer", "e", "d"});
        const auto second = store.list_page(cursor_of(first.back()), 3);
        CHECK(ids_of(second) == std::vector<std::string>{"c", "b", "a"});
        const auto third = store.list_page(cursor_of(second.back()), 3);
        CHECK(ids_of(third) == std::vector<std::string>{"older"});
        CHECK(store.list_page(cursor_of(third.back()), 3).empty());
    }

    TEST_CASE("page limits at the exact boundaries") {
        JobStore store(":memory:");
        std::vector<MediaAnalysisJob> jobs;
        for (int i = 0; i < 5; ++i) {
            jobs.push_back(make_job("job-" + std::to_string(i), 1000 + i));
        }
        store.put_all(jobs);
        const auto expected = ids_of(sorted(jobs));

        SUBCASE("limit equal to the count") {
            const auto page = store.list_page(std::nullopt, 5);
            CHECK(ids_of(page) == expected);
            CHECK(store.list_page(cursor_of(page.back()), 5).empty());
        }
        SUBCASE("limit one more than the count") {
            CHECK(ids_of(store.list_page(std::nullopt, 6)) == expected);
        }
        SUBCASE("limit one") {
            const auto page = store.list_page(std::nullopt, 1);
            CHECK(ids_of(page) == std::vector<std::string>{expected.front()});
            std::size_t pages = 0;
            CHECK(ids_of(walk(store, 1, &pages)) == expected);
            CHECK(pages == 5);
        }
        SUBCASE("limit zero") {
            CHECK(store.list_page(std::nullopt, 0).empty());
        }
        SUBCASE("a cursor between stored positions") {
            // A cursor need not name a stored job: the page starts strictly below it.
            const auto page =
                store.list_page(JobCursor{rekmock::testing::at_millis(1002), "zzz"}, 10);
            CHECK(ids_of(page) == std::vector<std::string>{"job-2", "job-1", "job-0"});
        }
    }

    TEST_CASE("inserts between pages") {
        JobStore store(":memory:");
        std::vector<MediaAnalysisJob> jobs;
        for (int i = 0; i < 6; ++i) {
            jobs.push_back(make_job("base-" + std::to_string(i), 10'000 + 100 * i));
        }
        store.put_all(jobs);
        const auto page1 = store.list_page(std::nullopt, 2);
        REQUIRE(ids_of(page1) == std::vector<std::string>{"base-5", "base-4"});

        // Newer than everything, and a tie with the cursor that sorts above it: both belong to
        // the part of the list already returned.
        store.put_all({make_job("newest", 99'999), make_job("base-9", 10'400)});
        // Below the cursor: still ahead of this walk.
        store.put_all({make_job("a-tie", 10'400), make_job("oldest", 1)});

        std::vector<MediaAnalysisJob> rest;
        std::optional<JobCursor> after = cursor_of(page1.back());
        for (;;) {
            const auto page = store.list_page(after, 2);
            if (page.empty()) {
                break;
            }
            rest.insert(rest.end(), page.begin(), page.end());
            after = cursor_of(page.back());
        }
        const auto rest_ids = ids_of(rest);
        CHECK(rest_ids ==
              std::vector<std::string>{"a-tie", "base-3", "base-2", "base-1", "base-0", "oldest"});
        std::vector<std::string> seen = ids_of(page1);
        seen.insert(seen.end(), rest_ids.begin(), rest_ids.end());
        CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == seen.size());
        CHECK(std::find(seen.begin(), seen.end(), "newest") == seen.end());
        CHECK(std::find(seen.begin(), seen.end(), "base-9") == seen.end());
    }

    TEST_CASE("put_all replaces a job with the same JobId") {
        JobStore store(":memory:");
        store.put_all({make_job("a", 100), make_job("b", 200), make_job("c", 300)});
        MediaAnalysisJob replacement = make_job("a", 400);
        replacement.status = MediaAnalysisJobStatus::Succeeded;
        replacement.job_name = "renamed";
        store.put_all({replacement});
        CHECK(store.count() == 3);
        const auto page = store.list_page(std::nullopt, 10);
        CHECK(ids_of(page) == std::vector<std::string>{"a", "c", "b"});
        CHECK(page.front() == replacement);

        SUBCASE("within one batch the last one wins") {
            MediaAnalysisJob last = make_job("d", 50);
            last.job_name = "second";
            store.put_all({make_job("d", 60), last});
            CHECK(store.count() == 4);
            CHECK(store.list_page(std::nullopt, 10).back() == last);
        }
    }

    TEST_CASE("put_all stores nothing when any job of the batch fails") {
        JobStore store(":memory:");
        const MediaAnalysisJob existing = make_job("existing", 100);
        store.put_all({existing});

        // A status outside the enum has no spelling; binding it stores NULL into a NOT NULL
        // column, the last insert of the batch fails, and the earlier ones must roll back.
        MediaAnalysisJob broken = make_job("broken", 300);
        broken.status = static_cast<MediaAnalysisJobStatus>(42);
        MediaAnalysisJob changed = make_job("existing", 999);
        changed.job_name = "changed";
        CHECK_THROWS_AS(store.put_all({make_job("fresh", 200), changed, broken}), StorageError);

        CHECK(store.count() == 1);
        const auto page = store.list_page(std::nullopt, 10);
        REQUIRE(page.size() == 1);
        CHECK(page.front() == existing);

        // The store is still usable after the failed batch.
        store.put_all({make_job("fresh", 200)});
        CHECK(store.count() == 2);
    }

    TEST_CASE("load into an empty store builds the same indexes after the rows") {
        JobStore store(":memory:");
        const auto plan_before = store.query_plan(JobStore::Query::NextPage);
        const auto count_plan_before = store.query_plan(JobStore::Query::UnfinishedCount);
        std::vector<MediaAnalysisJob> jobs;
        for (int i = 0; i < 500; ++i) {
            jobs.push_back(make_job("job-" + std::to_string(i), 1000 + (i * 7919) % 500));
        }
        const auto result = store.load(false, std::nullopt, [&](const auto& put) {
            for (const auto& job : jobs) {
                put(job);
            }
        });
        CHECK(result.jobs_loaded == 500);
        CHECK(result.jobs_deleted == 0);
        CHECK(store.query_plan(JobStore::Query::NextPage) == plan_before);
        CHECK(store.query_plan(JobStore::Query::UnfinishedCount) == count_plan_before);
        CHECK(ids_of(walk(store, 37)) == ids_of(sorted(jobs)));
        CHECK(store.find(rekmock::Scope{}, "job-123") == jobs[123]);
        // The rebuilt unique index still keeps one job per JobId.
        store.put_all({make_job("job-7", 5)});
        CHECK(store.count() == 500);
    }

    TEST_CASE("the unfinished jobs of a load into an empty store count toward the limit") {
        JobStore store(":memory:");
        const auto result = store.load(false, std::nullopt, [](const auto& put) {
            for (int i = 0; i < 300; ++i) {
                auto job = make_job("job-" + std::to_string(i), 1000 + i);
                if (i % 3 == 0) {
                    job.status = rekmock::MediaAnalysisJobStatus::Succeeded;
                    job.completion_timestamp = rekmock::testing::at_millis(5000);
                }
                put(job);
            }
        });
        REQUIRE(result.jobs_loaded == 300);
        auto started = make_job("started", 2000);
        started.schedule = rekmock::LifecycleSchedule{rekmock::testing::at_millis(2000),
                                                      rekmock::testing::at_millis(2000)};
        started.completion_timestamp = rekmock::testing::at_millis(3000);
        const auto now = rekmock::testing::at_millis(2000);
        CHECK(store.start(started, std::nullopt, 200, now).kind == Kind::LimitReached);
        CHECK(store.start(started, std::nullopt, 201, now).kind == Kind::Created);
    }

    TEST_CASE("a load's JobIds check runs once after every job, and its refusal undoes the load") {
        for (const bool empty : {true, false}) {
            INFO(empty);
            JobStore store(":memory:");
            if (!empty) {
                store.put_all({make_job("kept", 50)});
            }
            std::vector<std::string> events;
            const auto source = [&](const auto& put) {
                for (const char* id : {"a", "b", "c"}) {
                    put(make_job(id, 100));
                    events.emplace_back(id);
                }
            };
            CHECK_THROWS_WITH_AS(store.load(true, std::nullopt, source,
                                            [&] {
                                                events.emplace_back("check");
                                                throw std::runtime_error("repeated");
                                            }),
                                 "repeated", std::runtime_error);
            CHECK(events == std::vector<std::string>{"a", "b", "c", "check"});
            CHECK(store.count() == (empty ? 0 : 1));
            events.clear();
            const auto loaded =
                store.load(true, std::nullopt, source, [&] { events.emplace_back("check"); });
            CHECK(loaded.jobs_loaded == 3);
            CHECK(events == std::vector<std::string>{"a", "b", "c", "check"});
            CHECK(store.count() == 3);
            CHECK(store.find(rekmock::Scope{}, "b").has_value());
        }
    }

    TEST_CASE("load refuses a repeated JobId into an empty store and leaves it as it was") {
        JobStore store(":memory:");
        CHECK_THROWS_AS(store.load(false, std::nullopt,
                                   [](const auto& put) {
                                       put(make_job("a", 100));
                                       put(make_job("a", 200));
                                   }),
                        StorageError);
        CHECK(store.count() == 0);
        store.put_all({make_job("b", 100), make_job("b", 200)});  // indexes are back
        CHECK(store.count() == 1);
    }

    TEST_CASE("load into a store with jobs replaces by JobId and keeps the rest") {
        JobStore store(":memory:");
        store.put_all({make_job("a", 100), make_job("b", 200)});
        MediaAnalysisJob replacement = make_job("a", 300);
        replacement.job_name = "replaced";
        const auto result = store.load(false, std::nullopt, [&](const auto& put) {
            put(replacement);
            put(make_job("c", 50));
        });
        CHECK(result.jobs_loaded == 2);
        CHECK(ids_of(store.list_page(std::nullopt, 10)) == std::vector<std::string>{"a", "b", "c"});
        CHECK(store.list_page(std::nullopt, 10).front() == replacement);
    }

    TEST_CASE("load counts the jobs it moved from another scope") {
        JobStore store(":memory:");
        store.put_all({make_job("mine", 100), in_scope(make_job("theirs", 200), kOtherAccount)});
        const auto result = store.load(false, std::nullopt, [&](const auto& put) {
            put(make_job("mine", 150));    // same scope: replaced, not moved
            put(make_job("theirs", 250));  // from kOtherAccount into the default scope
            put(make_job("new", 50));
        });
        CHECK(result.jobs_loaded == 3);
        CHECK(result.jobs_moved == 1);
        CHECK(store.find(rekmock::Scope{}, "theirs").has_value());
        CHECK(store.list_page(std::nullopt, 10, kOtherAccount).empty());
        const rekmock::Scope other_region{rekmock::Scope{}.account, "eu-west-1"};
        const auto regions = store.load(false, std::nullopt, [&](const auto& put) {
            put(in_scope(make_job("mine", 150), other_region));
        });
        CHECK(regions.jobs_moved == 1);
        // Into an empty store nothing can move.
        store.erase(std::nullopt);
        const auto bulk =
            store.load(false, std::nullopt, [&](const auto& put) { put(make_job("mine", 150)); });
        CHECK(bulk.jobs_moved == 0);
    }

    TEST_CASE("load erases first when asked, and a throwing source changes nothing") {
        JobStore store(":memory:");
        store.put_all({make_job("d-1", 100), in_scope(make_job("a-1", 300), kOtherAccount)});
        const auto revision = store.revision();
        SUBCASE("a throwing source") {
            for (const bool empties : {false, true}) {
                const std::optional<rekmock::Scope> scope =
                    empties ? std::nullopt : std::optional<rekmock::Scope>(kOtherAccount);
                CHECK_THROWS_AS(store.load(true, scope,
                                           [](const auto& put) {
                                               put(make_job("new", 500));
                                               throw std::runtime_error("bad fixture");
                                           }),
                                std::runtime_error);
                CHECK(store.count() == 2);
                CHECK(store.find(kOtherAccount, "a-1").has_value());
                CHECK_FALSE(store.find(rekmock::Scope{}, "new").has_value());
            }
            CHECK(store.revision() == revision);
            CHECK(store.query_plan(JobStore::Query::FirstPage).size() == 1);
        }
        SUBCASE("one scope erased, the others kept") {
            const auto result = store.load(true, kOtherAccount, [](const auto& put) {
                put(in_scope(make_job("a-2", 400), kOtherAccount));
            });
            CHECK(result.jobs_deleted == 1);
            CHECK(result.jobs_loaded == 1);
            CHECK(ids_of(store.list_page(std::nullopt, 10, kOtherAccount)) ==
                  std::vector<std::string>{"a-2"});
            CHECK(store.find(rekmock::Scope{}, "d-1").has_value());
            CHECK(store.revision() != revision);
        }
    }

    TEST_CASE("every member of a job round-trips exactly") {
        JobStore store(":memory:");
        const auto jobs = rekmock::testing::rich_jobs();
        store.put_all(jobs);
        const auto listed = store.list_page(std::nullopt, 100);
        const auto expected = sorted(jobs);
        REQUIRE(listed.size() == expected.size());
        for (std::size_t i = 0; i < listed.size(); ++i) {
            CAPTURE(expected[i].job_id);
            CHECK(listed[i] == expected[i]);
            // Spot-check presence explicitly, so an operator== that ignored a member would not
            // hide a loss.
            CHECK(listed[i].operations_config.detect_moderation_labels.has_value() ==
                  expected[i].operations_config.detect_moderation_labels.has_value());
            CHECK(listed[i].failure_details.has_value() == expected[i].failure_details.has_value());
            CHECK(listed[i].results.has_value() == expected[i].results.has_value());
            CHECK(listed[i].manifest_summary.has_value() ==
                  expected[i].manifest_summary.has_value());
        }

        SUBCASE("values at the edges of their types") {
            MediaAnalysisJob edge = make_job("edge", -1);  // before the epoch
            edge.job_name = "";
            edge.input.s3_object.name = std::string("nul\0inside", 10);
            edge.operations_config.detect_moderation_labels =
                rekmock::MediaAnalysisDetectModerationLabelsConfig{99.9, std::nullopt};
            edge.completion_timestamp = rekmock::testing::at_millis(253402300799999);
            JobStore other(":memory:");
            other.put_all({edge});
            const auto page = other.list_page(std::nullopt, 1);
            REQUIRE(page.size() == 1);
            CHECK(page.front() == edge);
        }
    }

    TEST_CASE("a file store keeps its jobs and pagination secret across reopening") {
        const rekmock::testing::TempPath path(".db");
        const auto jobs = rekmock::testing::rich_jobs();
        std::vector<unsigned char> secret;
        {
            JobStore store(path.str());
            CHECK(store.location() == path.str());
            secret = store.pagination_secret();
            store.put_all(jobs);
        }
        JobStore reopened(path.str());
        CHECK(reopened.pagination_secret() == secret);
        CHECK(reopened.list_page(std::nullopt, 100) == sorted(jobs));
    }

    TEST_CASE("each new store gets its own 32-byte secret") {
        JobStore a(":memory:");
        JobStore b(":memory:");
        CHECK(a.pagination_secret().size() == 32);
        CHECK(b.pagination_secret().size() == 32);
        CHECK(a.pagination_secret() != b.pagination_secret());
    }
}

TEST_SUITE("job_store") {
    TEST_CASE("the index serves every page as a range scan, with no sort step") {
        rekmock::storage::JobStore store(":memory:");
        SUBCASE("first page") {
            const auto plan = store.query_plan(JobStore::Query::FirstPage);
            REQUIRE(plan.size() == 1);
            CHECK(plan[0] ==
                  "SEARCH media_analysis_jobs USING INDEX media_analysis_jobs_by_scope_creation "
                  "(account=? AND region=?)");
        }
        SUBCASE("after a cursor") {
            const auto plan = store.query_plan(JobStore::Query::NextPage);
            REQUIRE(plan.size() == 1);
            CHECK(plan[0] ==
                  "SEARCH media_analysis_jobs USING INDEX media_analysis_jobs_by_scope_creation "
                  "(account=? AND region=? AND (creation_ms,job_id)<(?,?))");
        }
    }

    TEST_CASE("find searches the key index") {
        JobStore store(":memory:");
        const auto plan = store.query_plan(JobStore::Query::Find);
        REQUIRE(plan.size() == 1);
        CHECK(plan[0] ==
              "SEARCH media_analysis_jobs USING INDEX media_analysis_jobs_by_key (job_key=?)");
    }

    TEST_CASE("list_page and find see only the jobs of the given scope") {
        JobStore store(":memory:");
        store.put_all({make_job("d-1", 100), make_job("d-2", 300),
                       in_scope(make_job("a-1", 200), kOtherAccount),
                       in_scope(make_job("a-2", 400), kOtherAccount),
                       in_scope(make_job("r-1", 500), kOtherRegion)});
        CHECK(store.count() == 5);
        CHECK(ids_of(store.list_page(std::nullopt, 10)) == std::vector<std::string>{"d-2", "d-1"});
        CHECK(ids_of(store.list_page(std::nullopt, 10, rekmock::Scope{})) ==
              std::vector<std::string>{"d-2", "d-1"});
        CHECK(ids_of(store.list_page(std::nullopt, 10, kOtherAccount)) ==
              std::vector<std::string>{"a-2", "a-1"});
        CHECK(ids_of(store.list_page(std::nullopt, 10, kOtherRegion)) ==
              std::vector<std::string>{"r-1"});
        CHECK(
            store.list_page(std::nullopt, 10, rekmock::Scope{"111122223333", "eu-west-1"}).empty());

        SUBCASE("a cursor pages within the scope only") {
            const auto first = store.list_page(std::nullopt, 1, kOtherAccount);
            REQUIRE(ids_of(first) == std::vector<std::string>{"a-2"});
            CHECK(ids_of(store.list_page(cursor_of(first.back()), 10, kOtherAccount)) ==
                  std::vector<std::string>{"a-1"});
        }
        SUBCASE("listed jobs carry their scope") {
            for (const auto& job : store.list_page(std::nullopt, 10, kOtherAccount)) {
                CHECK(job.scope == kOtherAccount);
            }
        }
        SUBCASE("find") {
            const auto found = store.find(kOtherAccount, "a-1");
            REQUIRE(found.has_value());
            CHECK(*found == in_scope(make_job("a-1", 200), kOtherAccount));
            CHECK(store.find(rekmock::Scope{}, "d-1").has_value());
            CHECK_FALSE(store.find(rekmock::Scope{}, "a-1").has_value());
            CHECK_FALSE(store.find(kOtherRegion, "a-1").has_value());
            CHECK_FALSE(store.find(kOtherAccount, "d-1").has_value());
            CHECK_FALSE(store.find(kOtherAccount, "r-1").has_value());
            CHECK_FALSE(store.find(rekmock::Scope{}, "missing").has_value());
            CHECK_FALSE(store.find(rekmock::Scope{}, "").has_value());
        }
    }

    TEST_CASE("scope and schedule round-trip through put_all and start") {
        JobStore store(":memory:");
        const MediaAnalysisJob loaded = in_scope(make_job("loaded", 1000), kOtherRegion);
        const MediaAnalysisJob started = started_job("started", 2000, 9000, kOtherRegion);
        store.put_all({loaded});
        const auto outcome =
            store.start(started, key("t", 1), kNoLimit, rekmock::testing::at_millis(2000));
        CHECK(outcome.kind == Kind::Created);
        CHECK(outcome.job_id == "started");

        const auto found_started = store.find(kOtherRegion, "started");
        REQUIRE(found_started.has_value());
        CHECK(*found_started == started);
        REQUIRE(found_started->schedule.has_value());
        CHECK(found_started->schedule->queued_at == rekmock::testing::at_millis(2001));
        CHECK(found_started->schedule->in_progress_at == rekmock::testing::at_millis(2002));
        const auto found_loaded = store.find(kOtherRegion, "loaded");
        REQUIRE(found_loaded.has_value());
        CHECK(*found_loaded == loaded);
        CHECK_FALSE(found_loaded->schedule.has_value());
        CHECK(store.list_page(std::nullopt, 10, kOtherRegion) ==
              std::vector<MediaAnalysisJob>{started, loaded});

        SUBCASE("put_all keeps a schedule too") {
            const MediaAnalysisJob direct = started_job("direct", 3000, 4000, kOtherAccount);
            store.put_all({direct});
            const auto found = store.find(kOtherAccount, "direct");
            REQUIRE(found.has_value());
            CHECK(*found == direct);
        }
    }

    TEST_CASE("start with a token: Created, then Replayed or Mismatch") {
        JobStore store(":memory:");
        const auto now = rekmock::testing::at_millis(1000);
        const auto first =
            store.start(started_job("first", 1000, 1000), key("tok", 7), kNoLimit, now);
        CHECK(first.kind == Kind::Created);
        CHECK(first.job_id == "first");
        CHECK(store.count() == 1);

        SUBCASE("same token, same fingerprint: the first job, nothing stored") {
            const auto again =
                store.start(started_job("second", 2000, 2000), key("tok", 7), kNoLimit, now);
            CHECK(again.kind == Kind::Replayed);
            CHECK(again.job_id == "first");
            CHECK(store.count() == 1);
            CHECK_FALSE(store.find(rekmock::Scope{}, "second").has_value());
        }
        SUBCASE("same token, other fingerprint: Mismatch naming the first job, nothing stored") {
            const auto other =
                store.start(started_job("second", 2000, 2000), key("tok", 8), kNoLimit, now);
            CHECK(other.kind == Kind::Mismatch);
            CHECK(other.job_id == "first");
            CHECK(store.count() == 1);
            CHECK_FALSE(store.find(rekmock::Scope{}, "second").has_value());
            // The mismatch did not overwrite the recorded fingerprint.
            CHECK(
                store.start(started_job("third", 3000, 3000), key("tok", 7), kNoLimit, now).kind ==
                Kind::Replayed);
        }
        SUBCASE("another token creates another job") {
            const auto other =
                store.start(started_job("second", 2000, 2000), key("tok2", 7), kNoLimit, now);
            CHECK(other.kind == Kind::Created);
            CHECK(other.job_id == "second");
            CHECK(store.count() == 2);
        }
        SUBCASE("tokens are case-sensitive") {
            CHECK(
                store.start(started_job("second", 2000, 2000), key("TOK", 7), kNoLimit, now).kind ==
                Kind::Created);
        }
        SUBCASE("the same token in another scope starts a separate job") {
            for (const auto& scope : {kOtherAccount, kOtherRegion}) {
                const std::string id = "other-" + scope.account + "-" + scope.region;
                const auto other =
                    store.start(started_job(id, 2000, 2000, scope), key("tok", 8), kNoLimit, now);
                CHECK(other.kind == Kind::Created);
                CHECK(other.job_id == id);
                CHECK(store.find(scope, id).has_value());
            }
            CHECK(store.count() == 3);
        }
    }

    TEST_CASE("start without a token always creates") {
        JobStore store(":memory:");
        const auto now = rekmock::testing::at_millis(1000);
        for (int i = 0; i < 3; ++i) {
            const std::string id = "job-" + std::to_string(i);
            const auto outcome =
                store.start(started_job(id, 1000 + i, 1000), std::nullopt, kNoLimit, now);
            CHECK(outcome.kind == Kind::Created);
            CHECK(outcome.job_id == id);
        }
        CHECK(store.count() == 3);
    }

    TEST_CASE("LimitReached counts the scope's unfinished jobs at `now`") {
        JobStore store(":memory:");
        const auto at = rekmock::testing::at_millis;

        SUBCASE("loaded jobs with a non-terminal status count; terminal ones do not") {
            MediaAnalysisJob created = make_job("l-created", 1);
            created.status = MediaAnalysisJobStatus::Created;
            MediaAnalysisJob queued = make_job("l-queued", 2);
            queued.status = MediaAnalysisJobStatus::Queued;
            MediaAnalysisJob running = make_job("l-running", 3);  // IN_PROGRESS
            MediaAnalysisJob done = make_job("l-done", 4);
            done.status = MediaAnalysisJobStatus::Succeeded;
            MediaAnalysisJob failed = make_job("l-failed", 5);
            failed.status = MediaAnalysisJobStatus::Failed;
            store.put_all({created, queued, running, done, failed});
            CHECK(store.start(started_job("s", 10, 20), std::nullopt, 3, at(10)).kind ==
                  Kind::LimitReached);
            CHECK(store.count() == 5);
            CHECK(store.start(started_job("s", 10, 20), std::nullopt, 4, at(10)).kind ==
                  Kind::Created);
            CHECK(store.count() == 6);
        }
        SUBCASE("a loaded non-terminal job counts even when it carries a CompletionTimestamp") {
            // The API shows a loaded job exactly as stored, so this one stays IN_PROGRESS
            // forever: it is not finished at any `now`.
            MediaAnalysisJob running = make_job("l-running", 3);
            running.completion_timestamp = at(5);
            store.put_all({running});
            CHECK(store.start(started_job("s", 10, 20), std::nullopt, 1, at(10)).kind ==
                  Kind::LimitReached);
            CHECK(store.count() == 1);
        }
        SUBCASE("started jobs count until their CompletionTimestamp") {
            REQUIRE(store.start(started_job("s1", 0, 1000), std::nullopt, 2, at(0)).kind ==
                    Kind::Created);
            REQUIRE(store.start(started_job("s2", 0, 2000), std::nullopt, 2, at(0)).kind ==
                    Kind::Created);
            CHECK(store.start(started_job("s3", 999, 5000), key("t", 1), 2, at(999)).kind ==
                  Kind::LimitReached);
            CHECK(store.count() == 2);
            CHECK_FALSE(store.find(rekmock::Scope{}, "s3").has_value());
            // At s1's CompletionTimestamp it is finished, and the token was not consumed.
            const auto later = store.start(started_job("s3", 1000, 5000), key("t", 2), 2, at(1000));
            CHECK(later.kind == Kind::Created);
            CHECK(later.job_id == "s3");
            CHECK(store.count() == 3);
        }
        SUBCASE("a started job with zero durations never counts") {
            for (int i = 0; i < 3; ++i) {
                CHECK(store
                          .start(started_job("z" + std::to_string(i), 50, 50), std::nullopt, 1,
                                 at(50))
                          .kind == Kind::Created);
            }
        }
        SUBCASE("max_unfinished 0 refuses every start") {
            CHECK(store.start(started_job("s", 0, 0), key("t", 1), 0, at(0)).kind ==
                  Kind::LimitReached);
            CHECK(store.count() == 0);
        }
        SUBCASE("other scopes' unfinished jobs do not count") {
            REQUIRE(store.start(started_job("mine", 0, 1000), std::nullopt, 1, at(0)).kind ==
                    Kind::Created);
            CHECK(store.start(started_job("mine-2", 0, 1000), std::nullopt, 1, at(0)).kind ==
                  Kind::LimitReached);
            CHECK(store.start(started_job("acct", 0, 1000, kOtherAccount), std::nullopt, 1, at(0))
                      .kind == Kind::Created);
            CHECK(store.start(started_job("region", 0, 1000, kOtherRegion), std::nullopt, 1, at(0))
                      .kind == Kind::Created);
            CHECK(store.count() == 3);
        }
        SUBCASE("a replay is answered even at the limit") {
            REQUIRE(store.start(started_job("s1", 0, 1000), key("t", 1), 1, at(0)).kind ==
                    Kind::Created);
            const auto replay = store.start(started_job("s2", 0, 1000), key("t", 1), 1, at(0));
            CHECK(replay.kind == Kind::Replayed);
            CHECK(replay.job_id == "s1");
            CHECK(store.start(started_job("s2", 0, 1000), key("t", 2), 1, at(0)).kind ==
                  Kind::Mismatch);
            CHECK(store.count() == 1);
        }
    }

    TEST_CASE("the unfinished count searches the partial indexes, never scanning the scope") {
        JobStore store(":memory:");
        const auto plan = store.query_plan(JobStore::Query::UnfinishedCount);
        std::vector<std::string> searches;
        for (const auto& step : plan) {
            INFO(step);
            CHECK(step.rfind("SCAN media_analysis_jobs", 0) != 0);
            CHECK(step.find("TEMP B-TREE") == std::string::npos);
            if (step.find("media_analysis_jobs") != std::string::npos) {
                searches.push_back(step);
            }
        }
        // One range search per kind of unfinished job, each answered by its index alone.
        REQUIRE(searches.size() == 2);
        CHECK(searches[0] ==
              "SEARCH media_analysis_jobs USING COVERING INDEX "
              "media_analysis_jobs_unfinished_loaded (account=? AND region=? AND queued_ms=?)");
        CHECK(searches[1] ==
              "SEARCH media_analysis_jobs USING COVERING INDEX "
              "media_analysis_jobs_started_by_completion (account=? AND region=? AND "
              "completion_ms>?)");
    }

    TEST_CASE("many terminal jobs and few unfinished: the count at each `now`, scope by scope") {
        JobStore store(":memory:");
        const auto at = rekmock::testing::at_millis;
        const std::vector<rekmock::Scope> scopes{rekmock::Scope{}, kOtherAccount, kOtherRegion};
        std::vector<MediaAnalysisJob> jobs;
        for (std::size_t k = 0; k < scopes.size(); ++k) {
            const rekmock::Scope& scope = scopes[k];
            const std::string prefix = std::to_string(k) + "-";
            // Terminal at every `now` probed below: loaded SUCCEEDED or FAILED (with and without
            // a CompletionTimestamp), and started jobs that completed before the first `now`.
            for (int i = 0; i < 1500; ++i) {
                const std::string id = prefix + "terminal-" + std::to_string(i);
                switch (i % 4) {
                    case 0: {
                        MediaAnalysisJob job = in_scope(make_job(id, i), scope);
                        job.status = MediaAnalysisJobStatus::Succeeded;
                        job.completion_timestamp = at(i + 1);
                        jobs.push_back(job);
                        break;
                    }
                    case 1: {
                        MediaAnalysisJob job = in_scope(make_job(id, i), scope);
                        job.status = MediaAnalysisJobStatus::Failed;
                        jobs.push_back(job);
                        break;
                    }
                    case 2:
                        jobs.push_back(started_job(id, i % 900, i % 900 + 100, scope));
                        break;
                    default: {
                        MediaAnalysisJob job = started_job(id, i % 900, 1000, scope);
                        job.status = MediaAnalysisJobStatus::Failed;
                        jobs.push_back(job);
                        break;
                    }
                }
            }
            // Unfinished loaded jobs: k + 1 of them, one with a CompletionTimestamp it ignores.
            const MediaAnalysisJobStatus unfinished[] = {MediaAnalysisJobStatus::Created,
                                                         MediaAnalysisJobStatus::Queued,
                                                         MediaAnalysisJobStatus::InProgress};
            for (std::size_t i = 0; i <= k; ++i) {
                MediaAnalysisJob job =
                    in_scope(make_job(prefix + "loaded-" + std::to_string(i), 10), scope);
                job.status = unfinished[i];
                if (i == 0) {
                    job.completion_timestamp = at(20);
                }
                jobs.push_back(job);
            }
        }
        // Started jobs finishing at different times, differently per scope; the last one has no
        // CompletionTimestamp (Start always sets one) and, as before migration 3, never counts.
        const std::pair<std::size_t, std::int64_t> running[] = {
            {0, 5000}, {0, 6000}, {0, 6000}, {0, 9000}, {1, 5000}, {1, 7000}, {2, 20000}};
        for (const auto& [k, completion] : running) {
            jobs.push_back(
                started_job("running-" + std::to_string(jobs.size()), 2000, completion, scopes[k]));
        }
        MediaAnalysisJob no_completion = started_job("no-completion", 2000, 0);
        no_completion.completion_timestamp.reset();
        jobs.push_back(no_completion);
        store.put_all(jobs);

        std::vector<MediaAnalysisJob> probes;
        // Ascending, so earlier probes (finished at their `now`) count at no later one; each
        // completion above is probed exactly (not counted) and one millisecond before (counted).
        for (const std::int64_t now :
             {1000, 2000, 4999, 5000, 5999, 6000, 6999, 7000, 8999, 9000, 19999, 20000, 1000000}) {
            for (std::size_t k = 0; k < scopes.size(); ++k) {
                const rekmock::Scope& scope = scopes[k];
                std::int64_t expected = 0;
                for (const auto* set : {&jobs, &probes}) {
                    for (const auto& job : *set) {
                        expected += job.scope == scope && unfinished_at(job, now) ? 1 : 0;
                    }
                }
                INFO("now=" << now << " scope=" << scope.account << "/" << scope.region);
                CHECK(counted_unfinished(store, scope, now, probes) == expected);
                // The oracle itself, worked out by hand from the jobs above at two `now`s: k + 1
                // loaded ones plus the started ones still running.
                const std::int64_t at_4999[] = {1 + 4, 2 + 2, 3 + 1};
                const std::int64_t at_6000[] = {1 + 1, 2 + 1, 3 + 1};
                if (now == 4999) {
                    CHECK(expected == at_4999[k]);
                }
                if (now == 6000) {
                    CHECK(expected == at_6000[k]);
                }
            }
        }
        CHECK(store.count() == static_cast<std::int64_t>(jobs.size() + probes.size()));
    }

    TEST_CASE("erase without a scope deletes every job of every scope") {
        JobStore store(":memory:");
        store.put_all({make_job("d-1", 100), make_job("d-2", 200),
                       in_scope(make_job("a-1", 300), kOtherAccount),
                       in_scope(make_job("r-1", 400), kOtherRegion)});
        CHECK(store.erase(std::nullopt) == 4);
        CHECK(store.count() == 0);
        CHECK(store.count_by_scope().empty());
        CHECK(store.erase(std::nullopt) == 0);
    }

    TEST_CASE("erase with a scope deletes that scope's jobs only") {
        JobStore store(":memory:");
        store.put_all({make_job("d-1", 100), make_job("d-2", 200),
                       in_scope(make_job("a-1", 300), kOtherAccount),
                       in_scope(make_job("a-2", 350), kOtherAccount),
                       in_scope(make_job("a-3", 360), kOtherAccount),
                       in_scope(make_job("r-1", 400), kOtherRegion)});
        SUBCASE("another account") {
            CHECK(store.erase(kOtherAccount) == 3);
            CHECK(store.count() == 3);
            CHECK(store.list_page(std::nullopt, 10, kOtherAccount).empty());
            CHECK(ids_of(store.list_page(std::nullopt, 10)) ==
                  std::vector<std::string>{"d-2", "d-1"});
            CHECK(ids_of(store.list_page(std::nullopt, 10, kOtherRegion)) ==
                  std::vector<std::string>{"r-1"});
        }
        SUBCASE("the default scope leaves the same account's other region alone") {
            CHECK(store.erase(rekmock::Scope{}) == 2);
            CHECK(store.count() == 4);
            CHECK(store.find(kOtherRegion, "r-1").has_value());
            CHECK(store.list_page(std::nullopt, 10).empty());
        }
        SUBCASE("a scope with no jobs deletes nothing") {
            CHECK(store.erase(rekmock::Scope{"999999999999", "ap-south-1"}) == 0);
            CHECK(store.count() == 6);
        }
    }

    TEST_CASE("erase forgets the scope's ClientRequestTokens, so a token starts a new job") {
        JobStore store(":memory:");
        const auto now = rekmock::testing::at_millis(1000);
        REQUIRE(store.start(started_job("first", 1000, 1000), key("tok", 7), kNoLimit, now).kind ==
                Kind::Created);
        REQUIRE(store
                    .start(started_job("other-first", 1000, 1000, kOtherAccount), key("tok", 7),
                           kNoLimit, now)
                    .kind == Kind::Created);

        SUBCASE("erase of that scope") {
            CHECK(store.erase(rekmock::Scope{}) == 1);
            // Even with another fingerprint the token is new again: Created, not Mismatch.
            const auto again =
                store.start(started_job("second", 2000, 2000), key("tok", 8), kNoLimit, now);
            CHECK(again.kind == Kind::Created);
            CHECK(again.job_id == "second");
            // The other scope still remembers its token.
            const auto other = store.start(started_job("other-second", 2000, 2000, kOtherAccount),
                                           key("tok", 7), kNoLimit, now);
            CHECK(other.kind == Kind::Replayed);
            CHECK(other.job_id == "other-first");
        }
        SUBCASE("erase of every scope") {
            CHECK(store.erase(std::nullopt) == 2);
            CHECK(
                store.start(started_job("second", 2000, 2000), key("tok", 7), kNoLimit, now).kind ==
                Kind::Created);
            CHECK(store
                      .start(started_job("other-second", 2000, 2000, kOtherAccount), key("tok", 7),
                             kNoLimit, now)
                      .kind == Kind::Created);
            CHECK(store.count() == 2);
        }
        SUBCASE("erase of another scope keeps this scope's token") {
            CHECK(store.erase(kOtherRegion) == 0);
            const auto replay =
                store.start(started_job("second", 2000, 2000), key("tok", 7), kNoLimit, now);
            CHECK(replay.kind == Kind::Replayed);
            CHECK(replay.job_id == "first");
        }
    }

    TEST_CASE("count_by_scope lists non-empty scopes in (account, region) order") {
        JobStore store(":memory:");
        CHECK(store.count_by_scope().empty());
        const rekmock::Scope z_account{"999999999999", "af-south-1"};
        const rekmock::Scope other_account_west{"111122223333", "us-west-2"};
        store.put_all({in_scope(make_job("z-1", 1), z_account), make_job("d-1", 2),
                       in_scope(make_job("r-1", 3), kOtherRegion), make_job("d-2", 4),
                       in_scope(make_job("w-1", 5), other_account_west),
                       in_scope(make_job("a-1", 6), kOtherAccount),
                       in_scope(make_job("a-2", 7), kOtherAccount),
                       in_scope(make_job("a-3", 8), kOtherAccount)});
        using Counts = std::vector<std::pair<rekmock::Scope, std::int64_t>>;
        CHECK(store.count_by_scope() == Counts{{kOtherRegion, 1},
                                               {rekmock::Scope{}, 2},
                                               {kOtherAccount, 3},
                                               {other_account_west, 1},
                                               {z_account, 1}});
        SUBCASE("a scope emptied by erase is omitted") {
            REQUIRE(store.erase(kOtherAccount) == 3);
            CHECK(store.count_by_scope() == Counts{{kOtherRegion, 1},
                                                   {rekmock::Scope{}, 2},
                                                   {other_account_west, 1},
                                                   {z_account, 1}});
        }
    }

    TEST_CASE("list_page with a huge limit returns what the store holds") {
        JobStore store(":memory:");
        store.put_all({make_job("a", 1), make_job("b", 2), make_job("c", 3)});
        const auto limit = static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());
        CHECK(ids_of(store.list_page(std::nullopt, limit)) ==
              std::vector<std::string>{"c", "b", "a"});
        CHECK(ids_of(store.list_page(JobCursor{rekmock::testing::at_millis(3), "c"}, limit)) ==
              std::vector<std::string>{"b", "a"});
        CHECK(store.list_page(std::nullopt, limit, kOtherAccount).empty());
        JobStore empty(":memory:");
        CHECK(empty.list_page(std::nullopt, limit).empty());
    }

    TEST_CASE("revision moves with every write to stored jobs, not with a start") {
        JobStore store(":memory:");
        const auto initial = store.revision();
        store.put_all({make_job("a", 1)});
        const auto after_put = store.revision();
        CHECK(after_put != initial);
        store.start(started_job("s", 2000, 3000), key("t", 1), kNoLimit,
                    rekmock::testing::at_millis(2000));
        CHECK(store.revision() == after_put);
        store.erase(kOtherAccount);
        const auto after_erase = store.revision();
        CHECK(after_erase != after_put);
        store.erase(std::nullopt);
        CHECK(store.revision() != after_erase);
    }

    TEST_CASE("revision moves when another connection commits to the file, and only then") {
        const rekmock::testing::TempPath path(".db");
        JobStore mine(path.str());
        JobStore other(path.str());  // another server on the same --db
        const auto now = rekmock::testing::at_millis(2000);
        auto seen = mine.revision();
        CHECK(mine.revision() == seen);
        mine.put_all({make_job("a", 1)});
        CHECK(mine.revision() != seen);
        seen = mine.revision();
        CHECK(mine.revision() == seen);  // our own writes are counted once
        CHECK(other.revision() != 0);    // it saw ours

        other.start(started_job("s", 2000, 3000), std::nullopt, kNoLimit, now);
        CHECK(mine.insertions() == 0);
        const auto after_start = mine.revision();
        CHECK(after_start != seen);
        CHECK(mine.revision() == after_start);
        other.put_all({make_job("a", 5)});
        const auto after_put = mine.revision();
        CHECK(after_put != after_start);
        other.erase(std::nullopt);
        CHECK(mine.revision() != after_put);
        CHECK(mine.count() == 0);
    }

    TEST_CASE("an in-memory store is its own: revision asks nothing of SQLite") {
        JobStore a(":memory:");
        JobStore b(":memory:");
        const auto seen = a.revision();
        b.put_all({make_job("a", 1)});
        CHECK(a.revision() == seen);
        CHECK(a.count() == 0);
    }

    TEST_CASE("insertions counts created jobs only") {
        JobStore store(":memory:");
        const auto now = rekmock::testing::at_millis(2000);
        CHECK(store.insertions() == 0);
        store.put_all({make_job("a", 1)});
        CHECK(store.insertions() == 0);
        store.start(started_job("s", 2000, 3000), key("t", 1), kNoLimit, now);
        CHECK(store.insertions() == 1);
        store.start(started_job("s2", 2000, 3000), key("t", 1), kNoLimit, now);  // replayed
        store.start(started_job("s3", 2000, 3000), key("t", 2), kNoLimit, now);  // mismatch
        store.start(started_job("s4", 2000, 3000), std::nullopt, 0, now);        // limit
        CHECK(store.insertions() == 1);
        store.start(started_job("s5", 2000, 3000), std::nullopt, kNoLimit, now);
        CHECK(store.insertions() == 2);
    }

    // Run under TSan by `make test` (label "concurrency"): readers and writers on one store.
    TEST_CASE("concurrent starts and page walks on a file store" *
              doctest::test_suite("concurrency")) {
        const rekmock::testing::TempPath path(".db");
        JobStore store(path.str());
        std::vector<MediaAnalysisJob> existing;
        for (int i = 0; i < 200; ++i) {
            existing.push_back(make_job("old-" + std::to_string(1000 + i), 1000 + i % 50));
        }
        store.put_all(existing);
        const auto now = rekmock::testing::at_millis(5000);
        constexpr int kWriters = 3;
        constexpr int kStartsPerWriter = 60;
        std::vector<std::vector<StartOutcome>> outcomes(kWriters);
        std::vector<std::vector<MediaAnalysisJob>> walks(2);
        std::vector<std::thread> threads;
        for (int w = 0; w < kWriters; ++w) {
            threads.emplace_back([&, w] {
                for (int i = 0; i < kStartsPerWriter; ++i) {
                    // Every writer also sends the shared token "same": one job must win it.
                    const std::string token =
                        i == 0 ? "same" : "w" + std::to_string(w) + "-" + std::to_string(i);
                    const std::string id = "new-" + std::to_string(w) + "-" + std::to_string(i);
                    outcomes[static_cast<std::size_t>(w)].push_back(
                        store.start(started_job(id, 9000 + i, 9000), key(token, 1), kNoLimit, now));
                }
            });
        }
        for (auto& walked : walks) {
            threads.emplace_back([&store, &walked] {
                // Walk only below the writers' timestamps: every page is from `existing`.
                std::optional<JobCursor> after = JobCursor{rekmock::testing::at_millis(2000), ""};
                for (;;) {
                    const auto page = store.list_page(after, 7);
                    if (page.empty()) {
                        break;
                    }
                    walked.insert(walked.end(), page.begin(), page.end());
                    after = cursor_of(page.back());
                    CHECK(store.find(rekmock::Scope{}, page.front().job_id).has_value());
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        for (const auto& walked : walks) {
            CHECK(ids_of(walked) == ids_of(sorted(existing)));
        }
        int created = 0;
        std::set<std::string> shared_token_ids;
        for (const auto& writer : outcomes) {
            REQUIRE(writer.size() == kStartsPerWriter);
            shared_token_ids.insert(writer.front().job_id);
            for (const auto& outcome : writer) {
                created += outcome.kind == Kind::Created ? 1 : 0;
            }
        }
        CHECK(shared_token_ids.size() == 1);
        CHECK(created == kWriters * (kStartsPerWriter - 1) + 1);
        CHECK(store.count() == static_cast<std::int64_t>(existing.size()) + created);
    }
}

TEST_SUITE("job_store") {
    TEST_CASE("pending outputs are listed soonest first, across scopes, without running jobs") {
        rekmock::storage::JobStore store(":memory:");
        auto later = started_job("later", 1000, 9000, rekmock::Scope{});
        auto sooner = started_job("sooner", 2000, 5000, kOtherRegion);
        auto steered = started_job("steered", 3000, 4000, rekmock::Scope{});
        auto finished = started_job("finished", 4000, 3000, rekmock::Scope{});
        later.outputs_pending = sooner.outputs_pending = steered.outputs_pending = true;
        steered.completion_timestamp.reset();  // steered to a running status: not due yet
        store.put_all({later, sooner, steered, finished});
        const auto pending = store.pending_outputs(10);
        REQUIRE(pending.size() == 2);
        CHECK(pending[0] == sooner);
        CHECK(pending[1] == later);
        CHECK(store.pending_outputs(1).size() == 1);
    }

    TEST_CASE("update changes a job in one transaction, or leaves it, and finds no other") {
        rekmock::storage::JobStore store(":memory:");
        auto job = started_job("job", 1000, 2000, rekmock::Scope{});
        job.polls_per_state = 2;
        store.put_all({job});
        const auto revision = store.revision();
        const auto counted = store.update(rekmock::Scope{}, "job", [](const auto& stored) {
            auto next = stored;
            ++next.polls_seen;
            return std::optional(next);
        });
        REQUIRE(counted);
        CHECK(counted->polls_seen == 1);
        CHECK(store.find(rekmock::Scope{}, "job") == counted);
        CHECK(store.revision() != revision);
        const auto untouched = store.revision();
        CHECK(store.update(rekmock::Scope{}, "job", [](const auto&) {
            return std::optional<rekmock::MediaAnalysisJob>();
        }) == counted);
        CHECK(store.revision() == untouched);
        CHECK_FALSE(store.update(kOtherRegion, "job",
                                 [](const auto& stored) { return std::optional(stored); }));
    }

    TEST_CASE("finish_outputs replaces a pending job once, and never one that is not pending") {
        rekmock::storage::JobStore store(":memory:");
        auto job = started_job("job", 1000, 2000, rekmock::Scope{});
        job.outputs_pending = true;
        REQUIRE(store
                    .start(job, std::nullopt, kNoLimit, rekmock::testing::at_millis(1000),
                           R"([{"SourceRef":"s3://b/a.jpg","Labels":[]}])")
                    .kind == Kind::Created);
        job = store.find(rekmock::Scope{}, "job").value();
        CHECK(job.frozen_rules.has_value());  // the rules are kept
        auto done = job;
        done.outputs_pending = false;
        done.frozen_rules.reset();
        done.results = rekmock::MediaAnalysisResults{
            rekmock::S3Object{"output-bucket", "job-results.jsonl", "v1"}, std::nullopt};
        const auto revision = store.revision();
        CHECK(store.finish_outputs(done));
        CHECK(store.revision() != revision);
        CHECK(store.find(rekmock::Scope{}, "job") == done);
        auto again = done;
        again.results->s3_object->version = "v2";
        CHECK_FALSE(store.finish_outputs(again));
        CHECK(store.find(rekmock::Scope{}, "job") == done);
        SUBCASE("nor a job of that id in another scope, nor one that is gone") {
            auto elsewhere = job;
            elsewhere.scope = kOtherRegion;
            CHECK_FALSE(store.finish_outputs(elsewhere));
            store.erase(std::nullopt);
            CHECK_FALSE(store.finish_outputs(job));
            CHECK(store.count() == 0);
        }
    }
}

namespace {

// Bytes this process has asked the kernel to read so far (/proc/self/io "rchar"): SQLite reads a
// file store's pages with pread, so the growth across a call is what the call read that its
// connection's page cache did not hold.
std::int64_t bytes_read_so_far() {
    std::ifstream io("/proc/self/io");
    std::string field;
    std::int64_t value = 0;
    while (io >> field >> value) {
        if (field == "rchar:") {
            return value;
        }
    }
    FAIL("/proc/self/io has no rchar");
    return 0;
}

std::int64_t count_in(const std::string& path, const std::string& sql) {
    rekmock::storage::Database db(path);
    rekmock::storage::Statement query(db, sql);
    REQUIRE(query.step());
    return query.column_int64(0);
}

// The file store's size in bytes as its committed pages in use (the WAL's included) make it up:
// free pages, which a migration that rebuilds a table leaves, are not counted.
std::int64_t store_bytes(const std::string& path) {
    return count_in(path,
                    "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count(), "
                    "pragma_freelist_count(), pragma_page_size()");
}

// A rules text of `size` bytes, distinct per `seed`.
std::string rules_of_size(std::size_t size, char seed) {
    std::string text = "[" + std::string(1, seed);
    text.resize(size, 'r');
    return text;
}

constexpr std::size_t kMiB = 1024 * 1024;

// A job as Start stores it when an object store is configured: its work pending.
MediaAnalysisJob pending_job(const std::string& id, std::int64_t creation_millis) {
    MediaAnalysisJob job = started_job(id, creation_millis, creation_millis + 3600000);
    job.outputs_pending = true;
    return job;
}

}  // namespace

TEST_SUITE("job_store") {
    TEST_CASE("50 jobs started with one megabyte of rules keep it once") {
        const rekmock::testing::TempPath path(".db");
        const std::string rules = rules_of_size(kMiB, 'a');
        std::optional<rekmock::RulesSetId> named;
        std::int64_t empty_bytes = 0;
        {
            JobStore store(path.str());
            empty_bytes = store_bytes(path.str());
            for (int i = 0; i < 50; ++i) {
                const auto job = pending_job("job-" + std::to_string(i), 1000 + i);
                REQUIRE(store
                            .start(job, std::nullopt, kNoLimit, rekmock::testing::at_millis(1000),
                                   rules)
                            .kind == Kind::Created);
                const auto stored = store.find(rekmock::Scope{}, job.job_id);
                REQUIRE(stored.has_value());
                REQUIRE(stored->frozen_rules.has_value());
                if (named) {
                    CHECK(stored->frozen_rules == named);
                }
                named = stored->frozen_rules;
            }
            CHECK(store.rules_text(*named) == rules);
        }
        CHECK(count_in(path.str(), "SELECT count(*) FROM rules_sets") == 1);
        // One copy of the text and 50 small rows, where a copy per job would be 50 MiB.
        const auto growth = store_bytes(path.str()) - empty_bytes;
        CHECK(growth > static_cast<std::int64_t>(kMiB));
        CHECK(growth < static_cast<std::int64_t>(kMiB + kMiB / 4));
    }

    TEST_CASE("jobs that froze different rules keep them apart, each its own") {
        JobStore store(":memory:");
        const auto now = rekmock::testing::at_millis(1000);
        const std::string first = R"([{"SourceRef":"s3://b/a.jpg","Labels":[]}])";
        const std::string second = R"([{"SourceRef":"s3://b/b.jpg","Labels":[]}])";
        REQUIRE(store.start(pending_job("a1", 1000), std::nullopt, kNoLimit, now, first).kind ==
                Kind::Created);
        REQUIRE(store.start(pending_job("b", 1001), std::nullopt, kNoLimit, now, second).kind ==
                Kind::Created);
        REQUIRE(store.start(pending_job("a2", 1002), std::nullopt, kNoLimit, now, first).kind ==
                Kind::Created);
        REQUIRE(store.start(pending_job("none", 1003), std::nullopt, kNoLimit, now).kind ==
                Kind::Created);
        const auto rules_of = [&](const char* id) {
            const auto job = store.find(rekmock::Scope{}, id);
            REQUIRE(job.has_value());
            return job->frozen_rules ? std::optional(store.rules_text(*job->frozen_rules))
                                     : std::nullopt;
        };
        CHECK(rules_of("a1") == first);
        CHECK(rules_of("b") == second);
        CHECK(rules_of("a2") == first);
        CHECK(rules_of("none") == std::nullopt);
        CHECK(store.find(rekmock::Scope{}, "a1")->frozen_rules ==
              store.find(rekmock::Scope{}, "a2")->frozen_rules);
    }

    TEST_CASE("a rules set goes with the last job that names it, and only then") {
        const rekmock::testing::TempPath path(".db");
        JobStore store(path.str());
        const auto now = rekmock::testing::at_millis(1000);
        const auto sets = [&] { return count_in(path.str(), "SELECT count(*) FROM rules_sets"); };
        const auto start = [&](const MediaAnalysisJob& job, const std::string& rules,
                               const rekmock::Scope& scope = rekmock::Scope{}) {
            REQUIRE(store.start(in_scope(job, scope), std::nullopt, kNoLimit, now, rules).kind ==
                    Kind::Created);
            return store.find(scope, job.job_id).value();
        };
        // The store's own update of a job: its work done, or steered past it.
        const auto drop_rules = [&](const MediaAnalysisJob& job) {
            auto done = job;
            done.outputs_pending = false;
            done.frozen_rules.reset();
            return done;
        };

        const auto a1 = start(pending_job("a1", 1000), "A");
        const auto a2 = start(pending_job("a2", 1001), "A");
        const auto b = start(pending_job("b", 1002), "B");
        CHECK(sets() == 2);

        SUBCASE("finished work") {
            CHECK(store.finish_outputs(drop_rules(a1)));
            CHECK(store.rules_text(*a2.frozen_rules) == "A");
            CHECK(store.finish_outputs(drop_rules(a2)));
            CHECK_THROWS_AS(store.rules_text(*a1.frozen_rules), StorageError);
            CHECK(sets() == 1);
        }
        SUBCASE("an update that keeps the rules keeps the set; one that drops them may not") {
            const auto polled = store.update(rekmock::Scope{}, "b", [](const auto& stored) {
                auto next = stored;
                ++next.polls_seen;
                return std::optional(next);
            });
            REQUIRE(polled);
            CHECK(polled->frozen_rules == b.frozen_rules);
            CHECK(store.rules_text(*b.frozen_rules) == "B");
            store.update(rekmock::Scope{}, "b",
                         [&](const auto& stored) { return std::optional(drop_rules(stored)); });
            CHECK(sets() == 1);
        }
        SUBCASE("put_all replacing the jobs") {
            store.put_all({drop_rules(a1), drop_rules(a2), drop_rules(b)});
            CHECK(sets() == 0);
        }
        SUBCASE("erasing a scope, then every scope") {
            const auto elsewhere = start(pending_job("c", 1003), "C", kOtherAccount);
            start(pending_job("a3", 1004), "A", kOtherAccount);
            CHECK(sets() == 3);
            CHECK(store.erase(rekmock::Scope{}) == 3);
            CHECK(sets() == 2);  // A is still named in the other account
            CHECK(store.rules_text(*a1.frozen_rules) == "A");
            CHECK_THROWS_AS(store.rules_text(*b.frozen_rules), StorageError);
            CHECK(store.rules_text(*elsewhere.frozen_rules) == "C");
            store.erase(std::nullopt);
            CHECK(sets() == 0);
        }
        SUBCASE("a load that erases first") {
            store.load(true, std::nullopt, [](const auto& put) { put(make_job("loaded", 1)); });
            CHECK(sets() == 0);
        }
        SUBCASE("a start that stores no job keeps no set") {
            const auto replayed = pending_job("d", 1005);
            REQUIRE(store.start(replayed, key("t", 1), kNoLimit, now, "D").kind == Kind::Created);
            CHECK(store.start(pending_job("e", 1006), key("t", 1), kNoLimit, now, "E").kind ==
                  Kind::Replayed);
            CHECK(store.start(pending_job("f", 1007), std::nullopt, 0, now, "F").kind ==
                  Kind::LimitReached);
            CHECK(sets() == 3);  // A, B, D
        }
    }

    TEST_CASE("List, Get and the scan for pending work read no rules text, which the work reads") {
        const rekmock::testing::TempPath path(".db");
        const std::string rules = rules_of_size(kMiB, 'a');
        std::optional<rekmock::RulesSetId> named;
        {
            JobStore store(path.str());
            for (int i = 0; i < 100; ++i) {
                REQUIRE(store
                            .start(pending_job("job-" + std::to_string(i), 1000 + i), std::nullopt,
                                   kNoLimit, rekmock::testing::at_millis(1000), rules)
                            .kind == Kind::Created);
            }
            named = store.find(rekmock::Scope{}, "job-0")->frozen_rules;
            REQUIRE(named.has_value());
        }
        // A new connection, whose page cache holds none of the text.
        JobStore store(path.str());
        const auto read_by = [](const auto& call) {
            const auto before = bytes_read_so_far();
            call();
            return bytes_read_so_far() - before;
        };
        constexpr std::int64_t kFewPages = 256 * 1024;
        CHECK(read_by([&] { CHECK(store.list_page(std::nullopt, 100).size() == 100); }) <
              kFewPages);
        CHECK(read_by([&] { CHECK(store.find(rekmock::Scope{}, "job-50").has_value()); }) <
              kFewPages);
        CHECK(read_by([&] { CHECK(store.pending_outputs(100).size() == 100); }) < kFewPages);
        // The probe sees SQLite's reads: loading the text itself reads all of it.
        CHECK(read_by([&] { CHECK(store.rules_text(*named) == rules); }) >=
              static_cast<std::int64_t>(kMiB));
    }
}
