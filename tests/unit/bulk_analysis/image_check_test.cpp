#include "image_check.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "folder_object_store.hpp"
#include "test_jobs.hpp"

using rekmock::bulk_analysis::check_image;
using rekmock::bulk_analysis::check_image_bytes;
using rekmock::bulk_analysis::ImageCheck;
using rekmock::objects::FolderObjectStore;
using rekmock::objects::ObjectRef;
namespace fs = std::filesystem;

namespace {

const fs::path kImages = REKMOCK_TEST_IMAGES_DIR;

// The error code check_image_bytes gives for a whole object; "" when the image passes.
std::string code_of(const std::string& bytes) {
    const auto verdict = check_image_bytes(bytes, bytes.size());
    REQUIRE_FALSE(verdict.undecided);
    return verdict.error ? verdict.error->code : std::string();
}

// A PNG signature and IHDR chunk claiming `width` x `height` (the header is all a check reads).
std::string png_header(std::uint32_t width, std::uint32_t height) {
    std::string png("\x89PNG\r\n\x1A\n", 8);
    png += std::string("\0\0\0\x0DIHDR", 8);
    for (const std::uint32_t value : {width, height}) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            png.push_back(static_cast<char>((value >> shift) & 0xFF));
        }
    }
    png += std::string("\x08\x02\0\0\0", 5);  // 8-bit RGB, no interlace
    png += std::string(4, '\0');              // CRC (not checked by a header read)
    return png;
}

// `jpeg` with `segments` APP1 segments of 65,000 bytes after its SOI marker: the frame header
// then lies past the first 64 KiB, as in photos with large EXIF and ICC data.
std::string with_app_segments(const std::string& jpeg, int segments) {
    std::string grown = jpeg.substr(0, 2);
    for (int i = 0; i < segments; ++i) {
        grown += "\xFF\xE1";
        grown.push_back(static_cast<char>(65000 >> 8));
        grown.push_back(static_cast<char>(65000 & 0xFF));
        grown += std::string(65000 - 2, 'e');
    }
    return grown + jpeg.substr(2);
}

}  // namespace

TEST_SUITE("image_check") {
    TEST_CASE("JPEG (baseline and progressive) and PNG within the limits pass") {
        for (const auto* name : {"ok-120x90.png", "ok-100x100.jpg", "progressive-160x120.jpg"}) {
            CAPTURE(name);
            CHECK(code_of(rekmock::testing::file_bytes(kImages / name)).empty());
        }
        CHECK(code_of(png_header(80, 80)).empty());
        CHECK(code_of(png_header(10000, 10000)).empty());
    }

    TEST_CASE("sides under 80 or over 10,000 pixels fail on dimension") {
        CHECK(code_of(rekmock::testing::file_bytes(kImages / "small-40x40.png")) ==
              "ERROR_INVALID_IMAGE_DIMENSION");
        CHECK(code_of(rekmock::testing::file_bytes(kImages / "short-100x79.jpg")) ==
              "ERROR_INVALID_IMAGE_DIMENSION");
        CHECK(code_of(png_header(79, 200)) == "ERROR_INVALID_IMAGE_DIMENSION");
        CHECK(code_of(png_header(10001, 200)) == "ERROR_INVALID_IMAGE_DIMENSION");
        const auto verdict = check_image_bytes(png_header(10001, 200), 1000);
        CHECK(verdict.error->message ==
              "The image is 10001x200 pixels; each side must be from 80 "
              "to 10000.");
    }

    TEST_CASE("content decides the format, not the name, a broken header is an invalid image") {
        CHECK(code_of("GIF89a...") == "ERROR_UNSUPPORTED_IMAGE_FORMAT");
        CHECK(code_of("hello") == "ERROR_UNSUPPORTED_IMAGE_FORMAT");
        CHECK(code_of("") == "ERROR_UNSUPPORTED_IMAGE_FORMAT");
        CHECK(code_of(png_header(100, 100).substr(0, 12)) == "ERROR_INVALID_IMAGE");
        CHECK(code_of("\xFF\xD8\xFF\xE0 truncated") == "ERROR_INVALID_IMAGE");
    }

    TEST_CASE("an object over 15 MB fails on size before anything is read") {
        const auto verdict = check_image_bytes(png_header(100, 100), 15 * 1024 * 1024 + 1);
        REQUIRE_FALSE(verdict.undecided);
        CHECK(verdict.error->code == "ERROR_IMAGE_TOO_LARGE");
        CHECK_FALSE(check_image_bytes(png_header(100, 100), 15 * 1024 * 1024).error.has_value());
    }

    TEST_CASE("a header cut short of a longer object asks for more") {
        const std::string jpeg =
            with_app_segments(rekmock::testing::file_bytes(kImages / "ok-100x100.jpg"), 2);
        CHECK(check_image_bytes(std::string_view(jpeg).substr(0, 65536), jpeg.size()).undecided);
    }

    TEST_CASE("through a store: a frame header past 64 KiB is found, absent images per mode") {
        const rekmock::testing::TempFolder root;
        fs::create_directory(root.path() / "images");
        std::ofstream(root.path() / "images/exif.jpg", std::ios::binary)
            << with_app_segments(rekmock::testing::file_bytes(kImages / "ok-100x100.jpg"), 3);
        std::ofstream(root.path() / "images/tiny.png", std::ios::binary)
            << rekmock::testing::file_bytes(kImages / "small-40x40.png");
        FolderObjectStore store(root.path());
        const auto ref = [](std::string bucket, std::string key) {
            return ObjectRef{std::move(bucket), std::move(key), std::nullopt};
        };
        CHECK_FALSE(check_image(store, ref("images", "exif.jpg"), ImageCheck::Strict));
        CHECK(check_image(store, ref("images", "tiny.png"), ImageCheck::Lenient)->code ==
              "ERROR_INVALID_IMAGE_DIMENSION");
        CHECK(check_image(store, ref("images", "absent.png"), ImageCheck::Strict)->code ==
              "ERROR_NO_SUCH_KEY");
        CHECK(check_image(store, ref("absent", "a.png"), ImageCheck::Strict)->code ==
              "ERROR_NO_SUCH_BUCKET");
        CHECK_FALSE(check_image(store, ref("images", "absent.png"), ImageCheck::Lenient));
        CHECK_FALSE(check_image(store, ref("absent", "a.png"), ImageCheck::Lenient));
    }
}
