#include "request_journal.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "recent_requests.hpp"
#include "request_filter.hpp"
#include "test_jobs.hpp"

using rekmock::protocol::kMaxNotedBytes;
using rekmock::protocol::RequestFilter;
using rekmock::protocol::RequestJournal;
using rekmock::protocol::RequestRecord;

namespace {

RequestRecord record(int n) {
    RequestRecord entry;
    entry.time = rekmock::testing::at_millis(1'700'000'000'000 + n);
    entry.request_id = "req-" + std::to_string(n);
    entry.operation = "ListMediaAnalysisJobs";
    entry.caller = rekmock::Scope{"111122223333", "eu-west-1"};
    entry.status = 200;
    return entry;
}

std::vector<std::string> ids_of(const std::vector<RequestRecord>& records) {
    std::vector<std::string> ids;
    for (const auto& entry : records) {
        ids.push_back(entry.request_id);
    }
    return ids;
}

}  // namespace

TEST_SUITE("request_journal") {
    TEST_CASE("an empty journal has no recent records") {
        const RequestJournal journal;
        CHECK(rekmock::testing::recent(journal, 0).empty());
        CHECK(rekmock::testing::recent(journal, 10).empty());
    }

    TEST_CASE("recent(n) is the last n records, oldest first") {
        RequestJournal journal;
        for (int i = 1; i <= 5; ++i) {
            journal.record(record(i));
        }
        CHECK(ids_of(rekmock::testing::recent(journal, 3)) ==
              std::vector<std::string>{"req-3", "req-4", "req-5"});
        CHECK(ids_of(rekmock::testing::recent(journal, 1)) == std::vector<std::string>{"req-5"});
        CHECK(rekmock::testing::recent(journal, 0).empty());
        CHECK(ids_of(rekmock::testing::recent(journal, 5)) ==
              std::vector<std::string>{"req-1", "req-2", "req-3", "req-4", "req-5"});
        CHECK(ids_of(rekmock::testing::recent(journal, 1000)) ==
              std::vector<std::string>{"req-1", "req-2", "req-3", "req-4", "req-5"});
        SUBCASE("records keep every member") {
            RequestRecord failed = record(6);
            failed.status = 500;
            failed.error_type = "ThrottlingException";
            failed.operation = "";
            journal.record(failed);
            const auto last = rekmock::testing::recent(journal, 1);
            REQUIRE(last.size() == 1);
            CHECK(last[0].time == failed.time);
            CHECK(last[0].request_id == "req-6");
            CHECK(last[0].operation.empty());
            CHECK(last[0].caller == failed.caller);
            CHECK(last[0].status == 500);
            CHECK(last[0].error_type == "ThrottlingException");
        }
    }

    TEST_CASE("the oldest records fall off beyond capacity") {
        RequestJournal journal(3);
        for (int i = 1; i <= 7; ++i) {
            journal.record(record(i));
        }
        CHECK(ids_of(rekmock::testing::recent(journal, 100)) ==
              std::vector<std::string>{"req-5", "req-6", "req-7"});
        SUBCASE("capacity 1") {
            RequestJournal one(1);
            one.record(record(1));
            one.record(record(2));
            CHECK(ids_of(rekmock::testing::recent(one, 5)) == std::vector<std::string>{"req-2"});
        }
        SUBCASE("the default capacity is 1000") {
            RequestJournal big;
            for (int i = 0; i < 1005; ++i) {
                big.record(record(i));
            }
            const auto all = rekmock::testing::recent(big, 5000);
            REQUIRE(all.size() == 1000);
            CHECK(all.front().request_id == "req-5");
            CHECK(all.back().request_id == "req-1004");
        }
    }

    TEST_CASE("select keeps the newest `limit` matches, oldest first, and counts them all") {
        RequestJournal journal;
        for (int i = 1; i <= 6; ++i) {
            RequestRecord entry = record(i);
            entry.status = i % 2 == 0 ? 400 : 200;
            journal.record(entry);
        }
        RequestFilter failed;
        failed.status = rekmock::protocol::StatusRange{400, 499};
        const auto two = journal.select(failed, std::nullopt, 2);
        REQUIRE(two);
        CHECK(ids_of(two->records) == std::vector<std::string>{"req-4", "req-6"});
        CHECK(two->matched == 3);
        SUBCASE("limit 0 only counts") {
            const auto counted = journal.select(failed, std::nullopt, 0);
            REQUIRE(counted);
            CHECK(counted->records.empty());
            CHECK(counted->matched == 3);
        }
        SUBCASE("an empty filter selects every record") {
            const auto all = journal.select(RequestFilter{}, std::nullopt, 100);
            REQUIRE(all);
            CHECK(all->matched == 6);
            CHECK(ids_of(all->records) ==
                  std::vector<std::string>{"req-1", "req-2", "req-3", "req-4", "req-5", "req-6"});
        }
    }

    TEST_CASE("select since a RequestId sees only later records") {
        RequestJournal journal(4);
        for (int i = 1; i <= 6; ++i) {
            journal.record(record(i));
        }
        const auto after_four = journal.select(RequestFilter{}, "req-4", 100);
        REQUIRE(after_four);
        CHECK(ids_of(after_four->records) == std::vector<std::string>{"req-5", "req-6"});
        CHECK(after_four->matched == 2);
        SUBCASE("since the newest: nothing yet") {
            const auto none = journal.select(RequestFilter{}, "req-6", 100);
            REQUIRE(none);
            CHECK(none->records.empty());
            CHECK(none->matched == 0);
        }
        SUBCASE("since the oldest kept") {
            CHECK(journal.select(RequestFilter{}, "req-3", 100)->matched == 3);
        }
        SUBCASE("a RequestId no record kept has is no answer, not an empty one") {
            CHECK_FALSE(journal.select(RequestFilter{}, "req-2", 100));  // fell off
            CHECK_FALSE(journal.select(RequestFilter{}, "req-99", 100));
            CHECK_FALSE(journal.select(RequestFilter{}, "", 100));
            journal.clear();
            CHECK_FALSE(journal.select(RequestFilter{}, "req-5", 100));
        }
        SUBCASE("with a filter and a limit") {
            RequestRecord other = record(7);
            other.operation = "GetMediaAnalysisJob";
            journal.record(other);
            journal.record(record(8));
            RequestFilter lists;
            lists.operation = "ListMediaAnalysisJobs";
            const auto selected = journal.select(lists, "req-5", 1);
            REQUIRE(selected);
            CHECK(ids_of(selected->records) == std::vector<std::string>{"req-8"});
            CHECK(selected->matched == 2);
        }
    }

    TEST_CASE("texts a client chose are kept cut to kMaxNotedBytes, never mid-character") {
        RequestJournal journal;
        RequestRecord entry = record(1);
        entry.noted.client_request_token = std::string(kMaxNotedBytes, 't');
        entry.noted.job_name = std::string(kMaxNotedBytes + 1, 'j');
        // 255 ASCII bytes, then a 2-byte character that the cut at 256 would split.
        entry.unroutable = rekmock::protocol::UnroutableRequest{
            std::string(1000, 'M'), std::string(kMaxNotedBytes - 1, 'p') + "\xC3\xA9tail", "short"};
        journal.record(entry);
        const auto kept = rekmock::testing::recent(journal, 1).at(0);
        CHECK(kept.noted.client_request_token == std::string(kMaxNotedBytes, 't'));
        CHECK(kept.noted.job_name == std::string(kMaxNotedBytes, 'j'));
        REQUIRE(kept.unroutable);
        CHECK(kept.unroutable->method == std::string(kMaxNotedBytes, 'M'));
        CHECK(kept.unroutable->path == std::string(kMaxNotedBytes - 1, 'p'));
        CHECK(kept.unroutable->target == "short");
    }

    TEST_CASE("bodies are kept to kMaxBodyBytes, never mid-character, with their full size") {
        using rekmock::protocol::KeptBody;
        using rekmock::protocol::kMaxBodyBytes;
        CHECK(KeptBody::of("") == KeptBody{"", 0});
        CHECK(KeptBody::of("{}") == KeptBody{"{}", 2});
        const std::string exact(kMaxBodyBytes, 'a');
        CHECK(KeptBody::of(exact) == KeptBody{exact, kMaxBodyBytes});
        // A two-byte character across the limit is dropped whole.
        const std::string across = std::string(kMaxBodyBytes - 1, 'a') + "\xC3\xA9" + "tail";
        const KeptBody kept = KeptBody::of(across);
        CHECK(kept.text == std::string(kMaxBodyBytes - 1, 'a'));
        CHECK(kept.bytes == across.size());
    }

    TEST_CASE("noted_members reads Start's token and name as sent, leniently") {
        using rekmock::protocol::noted_members;
        const auto noted = noted_members("StartMediaAnalysisJob",
                                         R"({"ClientRequestToken":"t-1","JobName":"nightly"})");
        CHECK(noted.client_request_token == "t-1");
        CHECK(noted.job_name == "nightly");
        SUBCASE("members that are not strings, or absent, are not noted") {
            const auto odd = noted_members("StartMediaAnalysisJob",
                                           R"({"ClientRequestToken":5,"JobName":null})");
            CHECK_FALSE(odd.client_request_token);
            CHECK_FALSE(odd.job_name);
            const auto empty = noted_members("StartMediaAnalysisJob", "");
            CHECK_FALSE(empty.client_request_token);
        }
        SUBCASE("a body that is not an object notes nothing") {
            for (const char* body : {"{", "[]", "\"t\"", "{\"ClientRequestToken\":\"t\",}"}) {
                CAPTURE(body);
                CHECK_FALSE(noted_members("StartMediaAnalysisJob", body).client_request_token);
            }
        }
        SUBCASE("other operations note nothing") {
            CHECK_FALSE(noted_members("ListMediaAnalysisJobs", R"({"ClientRequestToken":"t"})")
                            .client_request_token);
            CHECK_FALSE(noted_members("", R"({"JobName":"j"})").job_name);
        }
    }

    TEST_CASE("clear forgets every record") {
        RequestJournal journal;
        journal.record(record(1));
        journal.record(record(2));
        journal.clear();
        CHECK(rekmock::testing::recent(journal, 10).empty());
        journal.record(record(3));
        CHECK(ids_of(rekmock::testing::recent(journal, 10)) == std::vector<std::string>{"req-3"});
    }

    TEST_CASE("concurrent records are all kept up to capacity" *
              doctest::test_suite("concurrency")) {
        RequestJournal journal(10'000);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&journal, t] {
                for (int i = 0; i < 500; ++i) {
                    journal.record(record(t * 1000 + i));
                }
            });
        }
        for (auto& thread : threads) {
            thread.join();
        }
        CHECK(rekmock::testing::recent(journal, 10'000).size() == 2000);
    }
}
