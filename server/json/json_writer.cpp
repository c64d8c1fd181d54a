#include "json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

namespace rekmock::json {
namespace {

// The UTF-8 sequence at the start of `s` (which begins with a byte >= 0x80): its length and
// whether it is well-formed (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
// An ill-formed one's length is its maximal subpart, the lead byte and the continuation bytes
// that could still have completed it, which becomes one U+FFFD (Unicode 3.9's best practice, and
// what nlohmann's dump() does).
struct Utf8Sequence {
    std::size_t length;
    bool valid;
};

Utf8Sequence utf8_sequence(std::string_view s) {
    const auto lead = static_cast<unsigned char>(s[0]);
    std::size_t continuations = 0;
    unsigned char lo = 0x80;  // the first continuation byte's range; later ones are 80..BF
    unsigned char hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        continuations = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuations = 2;
        lo = lead == 0xE0 ? 0xA0 : 0x80;
        hi = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuations = 3;
        lo = lead == 0xF0 ? 0x90 : 0x80;
        hi = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
        return {1, false};
    }
    for (std::size_t i = 1; i <= continuations; ++i) {
        const auto byte = i < s.size() ? static_cast<unsigned char>(s[i]) : 0;
        if (byte < (i == 1 ? lo : 0x80) || byte > (i == 1 ? hi : 0xBF)) {
            return {i, false};
        }
    }
    return {continuations + 1, true};
}

void append_escaped(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    // The characters JSON escapes by a letter (or themselves), kEscaped[k] as '\\' kLetters[k];
    // other control characters are \u00XX.
    static constexpr std::string_view kEscaped = "\"\\\b\f\n\r\t";
    static constexpr std::string_view kLetters = "\"\\bfnrt";
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
            const Utf8Sequence sequence = utf8_sequence(text.substr(i));
            if (!sequence.valid) {
                flush();
                out.append("\xEF\xBF\xBD");
                plain_from = i + sequence.length;
            }
            i += sequence.length;
            continue;
        }
        flush();
        if (const auto k = kEscaped.find(static_cast<char>(c)); k != std::string_view::npos) {
            out.append({'\\', kLetters[k]});
        } else {
            const std::array<char, 6> escape{'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
            out.append(escape.data(), escape.size());
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

void JsonWriter::open(char bracket) {
    separate();
    out_.push_back(bracket);
    need_comma_ = false;
}

void JsonWriter::close(char bracket) {
    out_.push_back(bracket);
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
    integer(number);
}

void JsonWriter::value(std::uint64_t number) {
    integer(number);
}

template <typename Integer>
void JsonWriter::integer(Integer number) {
    separate();
    std::array<char, 24> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), number);
    out_.append(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data()));
    need_comma_ = true;
}

void JsonWriter::escaped_key(std::string_view name) {
    value(name);
    out_.push_back(':');
    need_comma_ = false;
}

void JsonWriter::value(const nlohmann::ordered_json& tree) {
    using Type = nlohmann::ordered_json::value_t;
    switch (tree.type()) {
        case Type::object:
            begin_object();
            for (const auto& [name, member] :
                 tree.get_ref<const nlohmann::ordered_json::object_t&>()) {
                escaped_key(name);
                value(member);
            }
            end_object();
            break;
        case Type::array:
            begin_array();
            for (const auto& element : tree) {
                value(element);
            }
            end_array();
            break;
        case Type::string:
            value(tree.get_ref<const std::string&>());
            break;
        case Type::boolean:
            raw_value(tree.get<bool>() ? "true" : "false");
            break;
        case Type::number_integer:
            value(tree.get<std::int64_t>());
            break;
        case Type::number_unsigned:
            value(tree.get<std::uint64_t>());
            break;
        case Type::number_float:
            value(tree.get<double>());
            break;
        default:  // null; the trees written here hold no binary values
            raw_value("null");
    }
}

void JsonWriter::raw_value(std::string_view json) {
    separate();
    out_.append(json);
    need_comma_ = true;
}

std::string to_text(const nlohmann::ordered_json& tree) {
    std::string text;
    JsonWriter(text).value(tree);
    return text;
}

}  // namespace rekmock::json
