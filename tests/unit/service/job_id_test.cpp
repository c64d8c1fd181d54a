#include "job_id.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <vector>

#include "model_validation.hpp"

TEST_SUITE("job_id") {
    TEST_CASE("a job id is 64 lower-case hex digits and a valid JobId") {
        for (int i = 0; i < 20; ++i) {
            const std::string id = rekmock::service::new_job_id();
            CAPTURE(id);
            CHECK(id.size() == 64);
            CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
            std::vector<rekmock::service::Violation> violations;
            rekmock::service::check_job_id(violations, "JobId", id);
            CHECK(violations.empty());
        }
    }

    TEST_CASE("1000 job ids are all distinct") {
        std::set<std::string> ids;
        for (int i = 0; i < 1000; ++i) {
            ids.insert(rekmock::service::new_job_id());
        }
        CHECK(ids.size() == 1000);
    }
}
