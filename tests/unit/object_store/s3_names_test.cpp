#include "s3_names.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using rekmock::objects::bucket_name_problem;
using rekmock::objects::key_path;

TEST_SUITE("s3_names") {
    TEST_CASE("a dot segment's dots are escaped, dots elsewhere in a key are not") {
        CHECK(key_path("..") == "%2E%2E");
        CHECK(key_path(".") == "%2E");
        CHECK(key_path("../b/k") == "%2E%2E/b/k");
        CHECK(key_path("a/./b/../c") == "a/%2E/b/%2E%2E/c");
        CHECK(key_path("a/..") == "a/%2E%2E");
        CHECK(key_path("../") == "%2E%2E/");
        CHECK(key_path("...") == "...");
        CHECK(key_path("..a/.b/c.") == "..a/.b/c.");
        CHECK(key_path("photo.jpg") == "photo.jpg");
    }

    TEST_CASE("the rest of a key is encoded as S3 signs it, '/' kept, empty segments kept") {
        CHECK(key_path("a b/c+d~e") == "a%20b/c%2Bd~e");
        CHECK(key_path("dir//x") == "dir//x");
        CHECK(key_path("/lead") == "/lead");
        CHECK(key_path("%2E%2E") == "%252E%252E");
    }

    TEST_CASE("bucket names no S3 bucket can have are refused, legacy names are not") {
        for (const std::string& bucket : std::vector<std::string>{
                 "", ".", "..", "a", "ab", "a/b", "../b", "a b", "a%2Fb", "caf\xc3\xa9",
                 std::string("ab\0c", 4), std::string(256, 'a')}) {
            INFO(bucket);
            CHECK(bucket_name_problem(bucket).has_value());
        }
        for (const std::string& bucket :
             std::vector<std::string>{"media-in", "my.bucket.example", "Legacy_Bucket", "...",
                                      "a-b", std::string(255, 'a')}) {
            INFO(bucket);
            CHECK_FALSE(bucket_name_problem(bucket).has_value());
        }
    }
}
