#include "json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace rekmock::json {
namespace {

// Length of the valid UTF-8 sequence at the start of `s` (which begins with a byte >= 0x80),
// or 0 if it is not one (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view s) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    const auto continuation = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
        return i < s.size() && byte(i) >= lo && byte(i) <= hi;
    };
    const unsigned char lead = byte(0);
    if (lead >= 0xC2 && lead <= 0xDF) {
        return continuation(1) ? 2 : 0;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        const unsigned char lo = lead == 0xE0 ? 0xA0 : 0x80;
        const unsigned char hi = lead == 0xED ? 0x9F : 0xBF;
        return continuation(1, lo, hi) && continuation(2) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const unsigned char lo = lead == 0xF0 ? 0x90 : 0x80;
        const unsigned char hi = lead == 0xF4 ? 0x8F : 0xBF;
        return continuation(1, lo, hi) && continuation(2) && continuation(3) ? 4 : 0;
    }
    return 0;
}

void append_escaped(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::size_t plain_from = 0;
    std::size_t i = 0;
    const auto flush = [&] { out.append(text.data() + plain_from, i - plain_from); };
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            if (const std::size_t length = utf8_sequence_length(text.substr(i))) {
                i += length;
                continue;
            }
            flush();
            out.append("\xEF\xBF\xBD");
            plain_from = ++i;
            continue;
        }
        flush();
        switch (c) {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            case '\b':
                out.append("\\b");
                break;
            case '\f':
                out.append("\\f");
                break;
            case '\n':
                out.append("\\n");
                break;
            case '\r':
                out.append("\\r");
                break;
            case '\t':
                out.append("\\t");
                break;
            default: {
                const std::array<char, 6> escape{'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
                out.append(escape.data(), escape.size());
            }
        }
        plain_from = ++i;
    }
    flush();
}

}  // namespace

void JsonWriter::separate() {
    if (need_comma_) {
        out_.push_back(',');
    }
}

void JsonWriter::begin_object() {
    separate();
    out_.push_back('{');
    need_comma_ = false;
}

void JsonWriter::end_object() {
    out_.push_back('}');
    need_comma_ = true;
}

void JsonWriter::begin_array() {
    separate();
    out_.push_back('[');
    need_comma_ = false;
}

void JsonWriter::end_array() {
    out_.push_back(']');
    need_comma_ = true;
}

void JsonWriter::key(std::string_view name) {
    separate();
    out_.push_back('"');
    out_.append(name);
    out_.append("\":");
    need_comma_ = false;
}

void JsonWriter::value(std::string_view text) {
    separate();
    out_.push_back('"');
    append_escaped(out_, text);
    out_.push_back('"');
    need_comma_ = true;
}

void JsonWriter::value(double number) {
    separate();
    if (!std::isfinite(number)) {
        out_.append("null");  // as dump() does; stored numbers are validated finite
    } else {
        // nlohmann's own shortest-round-trip formatter: the exact bytes dump() writes.
        std::array<char, 64> buffer{};
        char* end =
            nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), number);
        out_.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
    }
    need_comma_ = true;
}

void JsonWriter::value(std::int64_t number) {
    separate();
    std::array<char, 24> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number);
    out_.append(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
    need_comma_ = true;
}

void JsonWriter::raw_value(std::string_view json) {
    separate();
    out_.append(json);
    need_comma_ = true;
}

}  // namespace rekmock::json
