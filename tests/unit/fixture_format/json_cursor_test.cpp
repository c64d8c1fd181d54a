#include "json_cursor.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>

using rekmock::fixtures::Cursor;

namespace {

// What scan_plain_string must find in `text` (which starts with its opening quote): the content
// up to the first quote, unless a backslash, a control character or a non-ASCII byte comes first.
std::optional<std::string_view> reference_scan(std::string_view text) {
    for (std::size_t i = 1; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '"') {
            return text.substr(1, i - 1);
        }
        if (c < 0x20 || c == '\\' || c >= 0x80) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::optional<std::string_view> scan(std::string_view text, const char*& stopped) {
    Cursor in{text.data(), text.data() + text.size()};
    std::string_view out;
    const bool plain = rekmock::fixtures::scan_plain_string(in, out);
    stopped = in.p;
    return plain ? std::optional(out) : std::nullopt;
}

}  // namespace

TEST_SUITE("json_cursor") {
    TEST_CASE("a plain string ends at its first quote, anywhere in an eight-byte word") {
        // Every length across several words, every special byte at every place, and text after
        // the string (which the scan must not read as part of it).
        const std::string specials = std::string("\"\\\x01\x1f\x7f\x80\xff", 7) + '\0';
        for (std::size_t length = 0; length <= 40; ++length) {
            for (std::size_t at = 0; at <= length; ++at) {
                for (const char special : specials) {
                    std::string body(length, 'a');
                    for (std::size_t i = 0; i < length; ++i) {
                        body[i] = static_cast<char>(' ' + (i * 7) % 95);  // printable, varied
                        if (body[i] == '"' || body[i] == '\\') {
                            body[i] = 'x';
                        }
                    }
                    if (at < length) {
                        body[at] = special;
                    }
                    for (const std::string_view tail : {"", "\"", "\",\"next\": 1}"}) {
                        const std::string text = '"' + body + std::string(tail);
                        INFO(length, " ", at, " ", static_cast<int>(special), " ", tail);
                        const char* stopped = nullptr;
                        const auto found = scan(text, stopped);
                        const auto expected = reference_scan(text);
                        CHECK(found == expected);
                        if (found) {
                            CHECK(stopped == text.data() + 1 + found->size() + 1);
                        }
                    }
                }
            }
        }
    }

    TEST_CASE("a string that does not start at the cursor is not scanned") {
        const char* stopped = nullptr;
        CHECK_FALSE(scan("abc\"", stopped).has_value());
        CHECK_FALSE(scan("", stopped).has_value());
    }
}
