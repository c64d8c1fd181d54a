#include "fixture_file.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "test_jobs.hpp"

using rekmock::fixtures::FixtureFile;
using rekmock::testing::TempPath;

TEST_SUITE("fixture_file") {
    TEST_CASE("a regular file is read whole, an empty one as empty text") {
        const TempPath path(".json");
        const std::string text(100000, 'x');
        std::ofstream(path.str(), std::ios::binary) << text << "end";
        auto file = FixtureFile::open(path.str());
        CHECK(file.text() == text + "end");
        const FixtureFile moved(std::move(file));
        CHECK(moved.text() == text + "end");

        const TempPath empty(".json");
        std::ofstream(empty.str(), std::ios::binary).flush();
        CHECK(FixtureFile::open(empty.str()).text().empty());
    }

    TEST_CASE("a small file is a copy: truncating the file leaves the text as it was read") {
        const TempPath path(".json");
        std::ofstream(path.str(), std::ios::binary) << std::string(8192, 'a');
        const auto file = FixtureFile::open(path.str());
        std::ofstream(path.str(), std::ios::binary | std::ios::trunc).flush();
        CHECK(file.text() == std::string(8192, 'a'));
    }

    TEST_CASE("a large file is mapped and read whole") {
        const TempPath path(".json");
        std::ofstream(path.str(), std::ios::binary)
            << std::string(FixtureFile::kReadLimit + 10, 'm');
        const auto file = FixtureFile::open(path.str());
        CHECK(file.text().size() == FixtureFile::kReadLimit + 10);
        CHECK(file.text().back() == 'm');
    }

    TEST_CASE("a mapped file's released pages read back as they were") {
        const TempPath path(".json");
        std::string text;
        for (std::size_t i = 0; text.size() < FixtureFile::kReadLimit + (std::size_t{20} << 20);
             ++i) {
            text += std::to_string(i) + ',';
        }
        std::ofstream(path.str(), std::ios::binary) << text;
        auto file = FixtureFile::open(path.str());
        for (std::size_t offset = 0; offset <= text.size(); offset += 4096 * 3 + 7) {
            file.release_before(offset);
        }
        file.release_before(text.size() + 1);  // past the end: harmless
        CHECK(file.text() == text);
        const FixtureFile moved(std::move(file));
        CHECK(moved.text() == text);
    }

    TEST_CASE("what is not a regular file is refused, saying why, without blocking") {
        CHECK_THROWS_WITH_AS(FixtureFile::open("/nonexistent/rekmock/fixtures.json"),
                             "No such file or directory", std::runtime_error);
        const TempPath fifo(".fifo");
        REQUIRE(::mkfifo(fifo.str().c_str(), 0600) == 0);  // no writer: a blocking open hangs
        CHECK_THROWS_WITH_AS(FixtureFile::open(fifo.str()), "not a regular file",
                             std::runtime_error);
        const TempPath dir("-dir");
        std::filesystem::create_directory(dir.str());
        CHECK_THROWS_WITH_AS(FixtureFile::open(dir.str()), "not a regular file",
                             std::runtime_error);
        std::filesystem::remove_all(dir.str());
    }
}
