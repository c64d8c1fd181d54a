#include "rendered_page_cache.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <set>
#include <string>

using rekmock::Scope;
using rekmock::service::RenderedPage;
using rekmock::service::RenderedPageCache;
using rekmock::service::StoreVersion;

namespace {

RenderedPage page_of(const std::string& text, std::optional<std::string> token = std::nullopt) {
    return RenderedPage{{std::make_shared<const std::string>(text)}, std::move(token)};
}

}  // namespace

TEST_SUITE("rendered_page_cache") {
    TEST_CASE("keys tell scopes, sizes and tokens apart") {
        const Scope other_account{"111122223333", "us-east-1"};
        const Scope other_region{"000000000000", "eu-west-1"};
        const std::set<std::string> keys{
            RenderedPageCache::key(Scope{}, "", 100),
            RenderedPageCache::key(Scope{}, "", 10),
            RenderedPageCache::key(other_account, "", 100),
            RenderedPageCache::key(other_region, "", 100),
            RenderedPageCache::key(Scope{}, "a", 100),
            RenderedPageCache::key(Scope{}, "b", 100),
            RenderedPageCache::key(Scope{}, "0\na", 10),
            RenderedPageCache::key(Scope{}, "a", 1000),
        };
        CHECK(keys.size() == 8);
        CHECK(RenderedPageCache::key(Scope{}, "a", 100) ==
              RenderedPageCache::key(Scope{}, "a", 100));
    }

    TEST_CASE("a page is found only at the store version it was read at") {
        RenderedPageCache cache(8);
        const auto key = RenderedPageCache::key(Scope{}, "", 100);
        const StoreVersion v1{3, 7};
        CHECK_FALSE(cache.find(key, v1));
        cache.remember(key, v1, page_of("p", "token"));
        const auto found = cache.find(key, v1);
        REQUIRE(found);
        CHECK(*found->renderings.front() == "p");
        CHECK(found->next_token == "token");
        CHECK_FALSE(cache.find(key, StoreVersion{4, 7}));  // a job changed
        CHECK_FALSE(cache.find(key, StoreVersion{3, 8}));  // a job was started
        cache.remember(key, StoreVersion{3, 8}, page_of("q"));
        CHECK_FALSE(cache.find(key, v1));
        CHECK(*cache.find(key, StoreVersion{3, 8})->renderings.front() == "q");
    }

    TEST_CASE("at most max_pages pages are kept") {
        RenderedPageCache cache(4);
        const StoreVersion v{1, 1};
        for (int i = 0; i < 10; ++i) {
            cache.remember(RenderedPageCache::key(Scope{}, "", static_cast<std::size_t>(i)), v,
                           page_of(std::to_string(i)));
        }
        int kept = 0;
        for (int i = 0; i < 10; ++i) {
            kept += cache.find(RenderedPageCache::key(Scope{}, "", static_cast<std::size_t>(i)), v)
                        ? 1
                        : 0;
        }
        CHECK(kept >= 1);
        CHECK(kept <= 4);
        CHECK(cache.find(RenderedPageCache::key(Scope{}, "", 9), v));
    }
}
