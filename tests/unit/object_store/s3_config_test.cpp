#include "s3_config.hpp"

#include <doctest/doctest.h>

#include <map>
#include <stdexcept>
#include <string>

using rekmock::objects::Environment;
using rekmock::objects::make_s3_config;
using rekmock::objects::S3Config;
using rekmock::objects::S3Settings;

namespace {

Environment environment(std::map<std::string, std::string> variables) {
    return [variables = std::move(variables)](const char* name) -> std::optional<std::string> {
        const auto found = variables.find(name);
        return found == variables.end() ? std::nullopt : std::optional(found->second);
    };
}

S3Settings endpoint_only() {
    S3Settings settings;
    settings.endpoint = "http://127.0.0.1:5000";
    return settings;
}

}  // namespace

TEST_SUITE("s3_config") {
    TEST_CASE("credentials and region come from the AWS variables when not given") {
        const S3Config config =
            make_s3_config(endpoint_only(), environment({{"AWS_ACCESS_KEY_ID", "AKIAENV"},
                                                         {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                                                         {"AWS_SESSION_TOKEN", "env-token"},
                                                         {"AWS_DEFAULT_REGION", "eu-west-3"}}));
        CHECK(config.endpoint == "http://127.0.0.1:5000");
        CHECK(config.access_key_id == "AKIAENV");
        CHECK(config.secret_access_key == "env-secret");
        CHECK(config.session_token == std::optional<std::string>("env-token"));
        CHECK(config.region == "eu-west-3");
    }

    TEST_CASE("AWS_REGION wins over AWS_DEFAULT_REGION, us-east-1 without either") {
        const auto keys = std::map<std::string, std::string>{{"AWS_ACCESS_KEY_ID", "k"},
                                                             {"AWS_SECRET_ACCESS_KEY", "s"}};
        auto both = keys;
        both["AWS_REGION"] = "ap-south-1";
        both["AWS_DEFAULT_REGION"] = "eu-west-3";
        CHECK(make_s3_config(endpoint_only(), environment(both)).region == "ap-south-1");
        CHECK(make_s3_config(endpoint_only(), environment(keys)).region == "us-east-1");
    }

    TEST_CASE("explicit values win, and a session token comes with the keys it was issued with") {
        S3Settings settings = endpoint_only();
        settings.region = "us-west-2";
        settings.access_key_id = "AKIAFLAG";
        settings.secret_access_key = "flag-secret";
        const auto env = environment({{"AWS_ACCESS_KEY_ID", "AKIAENV"},
                                      {"AWS_SECRET_ACCESS_KEY", "env-secret"},
                                      {"AWS_SESSION_TOKEN", "env-token"},
                                      {"AWS_REGION", "eu-west-3"}});
        const S3Config config = make_s3_config(settings, env);
        CHECK(config.region == "us-west-2");
        CHECK(config.access_key_id == "AKIAFLAG");
        CHECK(config.secret_access_key == "flag-secret");
        CHECK(config.session_token == std::nullopt);  // not the environment's: other keys'

        settings.session_token = "flag-token";
        CHECK(make_s3_config(settings, env).session_token ==
              std::optional<std::string>("flag-token"));
    }

    TEST_CASE("incomplete credentials and bad endpoints are refused") {
        CHECK_THROWS_AS(make_s3_config(endpoint_only(), environment({})), std::invalid_argument);
        CHECK_THROWS_AS(
            make_s3_config(endpoint_only(), environment({{"AWS_ACCESS_KEY_ID", "only-key"}})),
            std::invalid_argument);
        S3Settings half = endpoint_only();
        half.access_key_id = "AKIAFLAG";
        CHECK_THROWS_AS(make_s3_config(half, environment({{"AWS_SECRET_ACCESS_KEY", "s"}})),
                        std::invalid_argument);
        S3Settings token_alone = endpoint_only();
        token_alone.session_token = "t";
        CHECK_THROWS_AS(make_s3_config(token_alone, environment({{"AWS_ACCESS_KEY_ID", "k"},
                                                                 {"AWS_SECRET_ACCESS_KEY", "s"}})),
                        std::invalid_argument);
        S3Settings bad_url = endpoint_only();
        bad_url.endpoint = "s3.local:9000";
        CHECK_THROWS_AS(make_s3_config(bad_url, environment({{"AWS_ACCESS_KEY_ID", "k"},
                                                             {"AWS_SECRET_ACCESS_KEY", "s"}})),
                        std::invalid_argument);
    }

    TEST_CASE("a part below S3's 5 MiB minimum, no attempt, no timeout or no deadline is refused") {
        S3Config config;
        config.endpoint = "http://127.0.0.1:5000";
        config.access_key_id = "k";
        config.secret_access_key = "s";
        CHECK_NOTHROW(validate(config));
        S3Config small_part = config;
        small_part.part_size = (std::size_t{5} << 20) - 1;
        CHECK_THROWS_AS(validate(small_part), std::invalid_argument);
        S3Config no_attempt = config;
        no_attempt.max_attempts = 0;
        CHECK_THROWS_AS(validate(no_attempt), std::invalid_argument);
        S3Config no_timeout = config;
        no_timeout.request_timeout = std::chrono::milliseconds(0);
        CHECK_THROWS_AS(validate(no_timeout), std::invalid_argument);
        S3Config no_deadline = config;
        no_deadline.deadline = std::chrono::milliseconds(0);
        CHECK_THROWS_AS(validate(no_deadline), std::invalid_argument);
    }

    TEST_CASE("timeouts and the deadline given win over the defaults, unset, they keep them") {
        const auto keys = environment({{"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"}});
        const S3Config defaults = make_s3_config(endpoint_only(), keys);
        CHECK(defaults.connect_timeout == S3Config{}.connect_timeout);
        CHECK(defaults.request_timeout == S3Config{}.request_timeout);
        CHECK(defaults.deadline == std::chrono::seconds(60));
        S3Settings settings = endpoint_only();
        settings.connect_timeout = std::chrono::milliseconds(250);
        settings.request_timeout = std::chrono::milliseconds(1500);
        settings.deadline = std::chrono::milliseconds(120'000);
        const S3Config given = make_s3_config(settings, keys);
        CHECK(given.connect_timeout == std::chrono::milliseconds(250));
        CHECK(given.request_timeout == std::chrono::milliseconds(1500));
        CHECK(given.deadline == std::chrono::milliseconds(120'000));
        settings.deadline = std::chrono::milliseconds(0);
        CHECK_THROWS_AS(make_s3_config(settings, keys), std::invalid_argument);
    }
}
