#include "encoded_job_cache.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>

using rekmock::Scope;
using rekmock::protocol::EncodedJobCache;

namespace {

rekmock::protocol::EncodedJob encoded(std::size_t size, char fill = 'x') {
    return std::make_shared<const std::string>(size, fill);
}

}  // namespace

TEST_SUITE("encoded_job_cache") {
    TEST_CASE("an entry is found only with its scope and revision") {
        EncodedJobCache cache(1 << 20);
        const Scope other{"111122223333", "eu-west-1"};
        CHECK_FALSE(cache.find(Scope{}, "job", 1));
        cache.remember(Scope{}, "job", 1, encoded(10));
        REQUIRE(cache.find(Scope{}, "job", 1));
        CHECK(*cache.find(Scope{}, "job", 1) == std::string(10, 'x'));
        CHECK_FALSE(cache.find(Scope{}, "job", 2));
        CHECK_FALSE(cache.find(other, "job", 1));
        CHECK_FALSE(cache.find(Scope{}, "jo", 1));
        cache.remember(Scope{}, "job", 2, encoded(5, 'y'));
        CHECK(*cache.find(Scope{}, "job", 2) == "yyyyy");
        CHECK_FALSE(cache.find(Scope{}, "job", 1));
    }

    TEST_CASE("the cache stays within its capacity by starting over") {
        // Each entry costs its encoded plus id plus a fixed overhead of about 256 bytes.
        EncodedJobCache cache(4096);
        for (int i = 0; i < 40; ++i) {
            cache.remember(Scope{}, "job-" + std::to_string(i), 1, encoded(500));
        }
        int found = 0;
        for (int i = 0; i < 40; ++i) {
            found += cache.find(Scope{}, "job-" + std::to_string(i), 1) ? 1 : 0;
        }
        CHECK(found >= 1);
        CHECK(found <= 5);
        CHECK(cache.find(Scope{}, "job-39", 1));            // the newest always survives
        cache.remember(Scope{}, "huge", 1, encoded(5000));  // larger than the whole cache
        CHECK_FALSE(cache.find(Scope{}, "huge", 1));
    }
}
