#include "glob_pattern.hpp"

#include <doctest/doctest.h>

#include <string>

using rekmock::moderation::glob_match;

TEST_SUITE("glob_pattern") {
    TEST_CASE("a pattern matches the whole text") {
        CHECK(glob_match("s3://b/a.jpg", "s3://b/a.jpg"));
        CHECK_FALSE(glob_match("s3://b/a.jpg", "s3://b/a.jpgx"));
        CHECK_FALSE(glob_match("s3://b/a", "s3://b/a.jpg"));
        CHECK(glob_match("", ""));
        CHECK_FALSE(glob_match("", "x"));
    }

    TEST_CASE("a star matches any run, slashes included, and the empty run") {
        CHECK(glob_match("s3://*/cartoons/*.png", "s3://bucket/cartoons/a/b.png"));
        CHECK(glob_match("s3://b/*", "s3://b/"));
        CHECK(glob_match("*", ""));
        CHECK(glob_match("**", "anything"));
        CHECK(glob_match("*.png", "x.png.png"));
        CHECK_FALSE(glob_match("*.png", "x.png.jpg"));
        CHECK(glob_match("a*b*c", "aXbYbZc"));
        CHECK_FALSE(glob_match("a*b*c", "aXbYbZ"));
    }

    TEST_CASE("a question mark matches exactly one byte") {
        CHECK(glob_match("img-?.jpg", "img-7.jpg"));
        CHECK_FALSE(glob_match("img-?.jpg", "img-.jpg"));
        CHECK_FALSE(glob_match("img-?.jpg", "img-12.jpg"));
    }

    TEST_CASE("a star in the text is matched by a star or a literal-free pattern") {
        CHECK(glob_match("a*", "a*"));
        CHECK(glob_match("?", "*"));
    }

    TEST_CASE("a hostile pattern takes linear passes, never exponential time") {
        const std::string text(5000, 'a');
        const std::string pattern = std::string(50, '*') + "b";
        CHECK_FALSE(glob_match("a*a*a*a*a*a*a*a*a*a*a*a*a*b", text));
        CHECK_FALSE(glob_match(pattern, text));
    }
}
