#include "request_id.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "uuid_check.hpp"

TEST_SUITE("request_id") {
    TEST_CASE("request ids are lower-case version 4 UUIDs") {
        for (int i = 0; i < 200; ++i) {
            const std::string id = rekmock::protocol::new_request_id();
            CAPTURE(id);
            CHECK(rekmock::testing::is_lowercase_uuid_v4(id));
        }
    }

    TEST_CASE("request ids are distinct") {
        std::set<std::string> ids;
        for (int i = 0; i < 1000; ++i) {
            ids.insert(rekmock::protocol::new_request_id());
        }
        CHECK(ids.size() == 1000);
    }
}
