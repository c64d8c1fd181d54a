#pragma once

// Compact JSON appended straight into a string: response bodies are written into one buffer,
// with no document tree in between. The bytes are those nlohmann::json::dump() would give for
// the same members in the same order (same number format, same escapes), so switching an
// encoder from a tree to this writer changes nothing on the wire. It is the one writer of JSON:
// where a tree is the concise way to build a value (control answers, log lines), the tree is
// written through it too.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace rekmock::json {

class JsonWriter {
  public:
    explicit JsonWriter(std::string& out) noexcept : out_(out) {}

    void begin_object() { open('{'); }
    void end_object() { close('}'); }
    void begin_array() { open('['); }
    void end_array() { close(']'); }
    // A member name; `name` must need no escaping (the model's member names never do).
    void key(std::string_view name);
    // The member `name` (as key() takes it) whose value is an object / an array, opened.
    void begin_object(std::string_view name) {
        key(name);
        begin_object();
    }
    void begin_array(std::string_view name) {
        key(name);
        begin_array();
    }

    // A string, escaped; invalid UTF-8 becomes U+FFFD (the stored text was valid on the way in).
    void value(std::string_view text);
    void value(const std::string& text) { value(std::string_view(text)); }
    void value(const char* text) { value(std::string_view(text)); }
    // The shortest text that reads back as `number` (integral values keep a ".0").
    void value(double number);
    void value(std::int64_t number);
    void value(std::uint64_t number);
    // A whole tree, its members in their order, its names escaped like strings.
    void value(const nlohmann::ordered_json& tree);
    // An already encoded JSON value, copied as is.
    void raw_value(std::string_view json);

    // A member; an absent optional writes nothing, so absent members are omitted, never null.
    template <typename T>
    void member(std::string_view name, const T& v) {
        key(name);
        value(v);
    }
    template <typename T>
    void member(std::string_view name, const std::optional<T>& v) {
        if (v) {
            member(name, *v);
        }
    }

  private:
    void separate();
    void open(char bracket);
    void close(char bracket);
    void escaped_key(std::string_view name);
    template <typename Integer>
    void integer(Integer number);
    std::string& out_;
    bool need_comma_ = false;
};

// `tree` as compact JSON text.
std::string to_text(const nlohmann::ordered_json& tree);

}  // namespace rekmock::json
