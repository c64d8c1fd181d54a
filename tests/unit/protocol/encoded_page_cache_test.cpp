#include "encoded_page_cache.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <string>

using rekmock::Scope;
using rekmock::protocol::EncodedPage;
using rekmock::protocol::EncodedPageCache;
using rekmock::service::StoreVersion;

namespace {

EncodedPage page_of(const std::string& text, std::optional<std::string> token = std::nullopt) {
    return EncodedPage{{std::make_shared<const std::string>(text)}, std::move(token)};
}

}  // namespace

TEST_SUITE("encoded_page_cache") {
    TEST_CASE("keys tell scopes, sizes and tokens apart") {
        const Scope other_account{"111122223333", "us-east-1"};
        const Scope other_region{"000000000000", "eu-west-1"};
        const std::set<std::string> keys{
            EncodedPageCache::key(Scope{}, "", 100),
            EncodedPageCache::key(Scope{}, "", 10),
            EncodedPageCache::key(other_account, "", 100),
            EncodedPageCache::key(other_region, "", 100),
            EncodedPageCache::key(Scope{}, "a", 100),
            EncodedPageCache::key(Scope{}, "b", 100),
            EncodedPageCache::key(Scope{}, "0\na", 10),
            EncodedPageCache::key(Scope{}, "a", 1000),
        };
        CHECK(keys.size() == 8);
        CHECK(EncodedPageCache::key(Scope{}, "a", 100) == EncodedPageCache::key(Scope{}, "a", 100));
    }

    TEST_CASE("a page is found only at the store version it was read at") {
        EncodedPageCache cache(8);
        const auto key = EncodedPageCache::key(Scope{}, "", 100);
        const StoreVersion v1{3, 7};
        CHECK_FALSE(cache.find(key, v1));
        cache.remember(key, v1, page_of("p", "token"));
        const auto found = cache.find(key, v1);
        REQUIRE(found);
        CHECK(*found->jobs.front() == "p");
        CHECK(found->next_token == "token");
        CHECK_FALSE(cache.find(key, StoreVersion{4, 7}));  // a job changed
        CHECK_FALSE(cache.find(key, StoreVersion{3, 8}));  // a job was started
        cache.remember(key, StoreVersion{3, 8}, page_of("q"));
        CHECK_FALSE(cache.find(key, v1));
        CHECK(*cache.find(key, StoreVersion{3, 8})->jobs.front() == "q");
    }

    TEST_CASE("at most max_pages pages are kept") {
        EncodedPageCache cache(4);
        const StoreVersion v{1, 1};
        for (int i = 0; i < 10; ++i) {
            cache.remember(EncodedPageCache::key(Scope{}, "", std::int64_t{i}), v,
                           page_of(std::to_string(i)));
        }
        int kept = 0;
        for (int i = 0; i < 10; ++i) {
            kept += cache.find(EncodedPageCache::key(Scope{}, "", std::int64_t{i}), v) ? 1 : 0;
        }
        CHECK(kept >= 1);
        CHECK(kept <= 4);
        CHECK(cache.find(EncodedPageCache::key(Scope{}, "", 9), v));
    }
}
