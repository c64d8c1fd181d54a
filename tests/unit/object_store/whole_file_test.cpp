#include "whole_file.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <stdexcept>

#include "test_jobs.hpp"

using rekmock::objects::write_whole_file;
using rekmock::testing::file_bytes;
using rekmock::testing::TempFolder;
namespace fs = std::filesystem;

TEST_SUITE("whole_file") {
    TEST_CASE("a file is replaced whole, readable by all, with nothing left beside it") {
        const TempFolder folder;
        const fs::path path = folder.path() / "jobs.json";
        write_whole_file(path, "first");
        write_whole_file(path, std::string("second\0text", 11));
        CHECK(file_bytes(path) == std::string("second\0text", 11));
        struct stat status {};
        REQUIRE(::stat(path.c_str(), &status) == 0);
        CHECK((status.st_mode & 0777) == 0644);
        CHECK(std::distance(fs::directory_iterator(folder.path()), fs::directory_iterator()) == 1);
    }

    TEST_CASE("a file that cannot be written is an error naming it, and leaves no file") {
        const TempFolder folder;
        const fs::path path = folder.path() / "absent-folder" / "jobs.json";
        CHECK_THROWS_WITH_AS(write_whole_file(path, "x"), doctest::Contains(path.string().c_str()),
                             std::runtime_error);
        fs::create_directory(folder.path() / "a-folder");
        CHECK_THROWS_AS(write_whole_file(folder.path() / "a-folder", "x"), std::runtime_error);
        CHECK(std::distance(fs::directory_iterator(folder.path()), fs::directory_iterator()) == 1);
    }
}
