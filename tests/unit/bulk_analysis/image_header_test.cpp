#include "image_header.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "test_jobs.hpp"

using rekmock::bulk_analysis::ImageFormat;
using rekmock::bulk_analysis::ImageHeader;
using rekmock::bulk_analysis::read_image_header;
using Verdict = ImageHeader::Verdict;
namespace fs = std::filesystem;

namespace {

const fs::path kImages = REKMOCK_TEST_IMAGES_DIR;

std::string segment(unsigned char marker, const std::string& payload) {
    std::string bytes{'\xFF', static_cast<char>(marker)};
    const std::size_t length = payload.size() + 2;
    bytes.push_back(static_cast<char>(length >> 8));
    bytes.push_back(static_cast<char>(length & 0xFF));
    return bytes + payload;
}

// SOI, `before`, then a baseline frame header of `width` x `height`.
std::string jpeg(const std::string& before, std::uint16_t width, std::uint16_t height,
                 unsigned char frame = 0xC0) {
    const std::string frame_payload{'\x08',
                                    static_cast<char>(height >> 8),
                                    static_cast<char>(height & 0xFF),
                                    static_cast<char>(width >> 8),
                                    static_cast<char>(width & 0xFF),
                                    '\x01',
                                    '\x01',
                                    '\x11',
                                    '\x00'};
    return std::string("\xFF\xD8", 2) + before + segment(frame, frame_payload);
}

}  // namespace

TEST_SUITE("image_header") {
    TEST_CASE("real files: PNG, baseline and progressive JPEG") {
        const auto png = read_image_header(rekmock::testing::file_bytes(kImages / "ok-120x90.png"));
        CHECK(png.verdict == Verdict::Read);
        CHECK(png.format == ImageFormat::Png);
        CHECK(png.width == 120);
        CHECK(png.height == 90);
        const auto baseline =
            read_image_header(rekmock::testing::file_bytes(kImages / "ok-100x100.jpg"));
        CHECK(baseline.verdict == Verdict::Read);
        CHECK(baseline.format == ImageFormat::Jpeg);
        CHECK((baseline.width == 100 && baseline.height == 100));
        const auto progressive =
            read_image_header(rekmock::testing::file_bytes(kImages / "progressive-160x120.jpg"));
        CHECK((progressive.width == 160 && progressive.height == 120));
    }

    TEST_CASE("JPEG: segments are skipped by length, fill bytes and standalone markers ignored") {
        const std::string app = segment(0xE1, std::string(300, '\xFF'));  // 0xFF inside: skipped
        const std::string dht = segment(0xC4, std::string(40, '\x7F'));   // never decoded
        const auto header =
            read_image_header(jpeg(app + dht + "\xFF\xFF\xFF\xD0" + "\xFF\x01", 640, 480));
        CHECK(header.verdict == Verdict::Read);
        CHECK((header.width == 640 && header.height == 480));
        for (const int frame : {0xC1, 0xC2, 0xC3, 0xC9, 0xCF}) {
            CHECK(read_image_header(jpeg("", 81, 82, static_cast<unsigned char>(frame))).width ==
                  81);
        }
    }

    TEST_CASE("JPEG: cut short asks for more, a scan or end before the frame is invalid") {
        const std::string whole = jpeg(segment(0xE0, std::string(5000, 'j')), 300, 200);
        for (std::size_t cut = 3; cut < whole.size(); cut += 97) {
            CAPTURE(cut);
            CHECK(read_image_header(whole.substr(0, cut)).verdict == Verdict::NeedMore);
        }
        CHECK(read_image_header(std::string("\xFF\xD8\xFF\xDA\x00\x02", 6)).verdict ==
              Verdict::Invalid);
        CHECK(read_image_header(std::string("\xFF\xD8\xFF\xD9", 4)).verdict == Verdict::Invalid);
        CHECK(read_image_header("GIF89a, or any other content").verdict == Verdict::Neither);
        CHECK(read_image_header(std::string("\xFF\xD8\xFF\xE0\x00\x01", 6)).verdict ==
              Verdict::Invalid);                                                 // length < 2
        CHECK(read_image_header(jpeg("", 100, 0)).verdict == Verdict::Invalid);  // DNL height
        CHECK(read_image_header(std::string("\xFF\xD8\xFF\xE0\x00\x04zz!", 9)).verdict ==
              Verdict::Invalid);  // a byte that is no marker
    }

    TEST_CASE("PNG: IHDR must come first, sides of 0 or over 2^31-1 are invalid") {
        std::string png = rekmock::testing::file_bytes(kImages / "ok-120x90.png");
        CHECK(read_image_header(png.substr(0, 23)).verdict == Verdict::NeedMore);
        std::string not_ihdr = png;
        not_ihdr.replace(12, 4, "IDAT");
        CHECK(read_image_header(not_ihdr).verdict == Verdict::Invalid);
        std::string zero = png;
        zero.replace(16, 4, std::string(4, '\0'));
        CHECK(read_image_header(zero).verdict == Verdict::Invalid);
        std::string huge = png;
        huge.replace(20, 4, "\x80\x00\x00\x00");
        CHECK(read_image_header(huge).verdict == Verdict::Invalid);
    }

    TEST_CASE("the hostile Huffman table that overflowed stb_image is read without decoding it") {
        const std::string input = rekmock::testing::file_bytes(
            fs::path(REKMOCK_FUZZ_REGRESSIONS_DIR) / "stb-huffman-overflow-c41abe3c");
        REQUIRE(input.size() > 2);
        (void)read_image_header(input.substr(2));  // under ASan/UBSan: no report
    }
}
