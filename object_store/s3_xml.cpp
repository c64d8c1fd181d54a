#include "s3_xml.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>

namespace rekmock::objects {
namespace {

// Appends the UTF-8 encoding of `code_point`.
void append_utf8(std::string& out, unsigned code_point) {
    if (code_point < 0x80) {
        out.push_back(static_cast<char>(code_point));
    } else if (code_point < 0x800) {
        out.push_back(static_cast<char>(0xc0 | (code_point >> 6)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
    } else if (code_point < 0x10000) {
        out.push_back(static_cast<char>(0xe0 | (code_point >> 12)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
    } else {
        out.push_back(static_cast<char>(0xf0 | (code_point >> 18)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
    }
}

// XML's predefined entities and the characters they stand for.
constexpr std::pair<std::string_view, char> kNamed[] = {
    {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};

// The character a reference such as "amp" or "#x41" stands for; std::nullopt when unknown.
std::optional<std::string> resolve(std::string_view reference) {
    for (const auto& [name, character] : kNamed) {
        if (reference == name) {
            return std::string(1, character);
        }
    }
    if (!reference.starts_with('#')) {
        return std::nullopt;
    }
    reference.remove_prefix(1);
    int base = 10;
    if (reference.starts_with('x')) {
        base = 16;
        reference.remove_prefix(1);
    }
    unsigned code_point = 0;
    const auto [end, error] =
        std::from_chars(reference.data(), reference.data() + reference.size(), code_point, base);
    if (reference.empty() || error != std::errc() || end != reference.data() + reference.size() ||
        code_point > 0x10ffff) {
        return std::nullopt;
    }
    std::string out;
    append_utf8(out, code_point);
    return out;
}

std::string unescape(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::size_t semicolon = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
        const auto character = semicolon == std::string_view::npos
                                   ? std::nullopt
                                   : resolve(text.substr(i + 1, semicolon - i - 1));
        if (character) {
            out += *character;
            i = semicolon;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

}  // namespace

std::optional<std::string> xml_element_text(std::string_view document, std::string_view name) {
    const std::string open = "<" + std::string(name);
    for (std::size_t at = document.find(open); at != std::string_view::npos;
         at = document.find(open, at + 1)) {
        const std::size_t after = at + open.size();
        if (after >= document.size()) {
            return std::nullopt;
        }
        const char next = document[after];
        if (next != '>' && next != ' ' && next != '\t' && next != '\n' && next != '\r' &&
            next != '/') {
            continue;  // a longer name: <CodeX>
        }
        const std::size_t close = document.find('>', after);
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        if (document[close - 1] == '/') {
            return std::string();  // <Name/>
        }
        const std::size_t end = document.find("</" + std::string(name) + ">", close + 1);
        if (end == std::string_view::npos) {
            return std::nullopt;
        }
        return unescape(document.substr(close + 1, end - close - 1));
    }
    return std::nullopt;
}

std::string xml_escape(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto* named =
            std::ranges::find_if(kNamed, [c](const auto& entry) { return entry.second == c; });
        if (named != std::end(kNamed)) {
            out.append(1, '&').append(named->first).append(1, ';');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace rekmock::objects
