#include "scanned_object.hpp"

#include "job_description_decoder.hpp"
#include "timestamp_json.hpp"

namespace rekmock::fixtures {
namespace {

// A cursor over one member's value text.
Cursor over(std::string_view value) {
    return Cursor{value.data(), value.data() + value.size()};
}

// The value of member `name`; std::nullopt when absent or null.
std::optional<Cursor> value_of(const ScannedObject& object, std::string_view name) {
    const std::string_view* value = object.find(name);
    if (value == nullptr || *value == "null") {
        return std::nullopt;
    }
    return over(*value);
}

template <typename T>
T required(std::optional<T> value) {
    if (!value) {
        throw Declined{};
    }
    return std::move(*value);
}

}  // namespace

ScannedObject::ScannedObject(Cursor& in, ScanIndex& index)
    : index_(&index), begin_(index.members.size()), end_(begin_) {
    if (!in.eat('{')) {
        throw Declined{};
    }
    if (in.at('}')) {
        ++in.p;
        return;
    }
    for (;;) {
        std::string_view key;
        if (!scan_plain_string(in, key)) {
            throw Declined{};
        }
        in.skip_space();
        if (!in.eat(':')) {
            throw Declined{};
        }
        const char* start = in.p;
        if (!skip_value(in)) {
            throw Declined{};
        }
        for (std::size_t i = begin_; i < end_; ++i) {
            if (index.members[i].key == key) {
                throw Declined{};  // nlohmann keeps the last; the tree decides
            }
        }
        index.members.push_back(ScanIndex::Member{
            key, std::string_view(start, static_cast<std::size_t>(in.p - start)), false});
        ++end_;
        ++index.unread;
        in.skip_space();
        if (in.eat(',')) {
            continue;
        }
        if (!in.at('}')) {
            throw Declined{};
        }
        ++in.p;
        return;
    }
}

const std::string_view* ScannedObject::find(std::string_view name) const {
    for (std::size_t i = begin_; i < end_; ++i) {
        auto& member = index_->members[i];
        if (member.key == name) {
            if (!member.read) {
                member.read = true;
                --index_->unread;
            }
            return &member.value;
        }
    }
    return nullptr;
}

std::optional<std::string> optional_string(const ScannedObject& object, std::string_view name,
                                           NoPath) {
    auto in = value_of(object, name);
    if (!in) {
        return std::nullopt;
    }
    std::string_view text;
    if (!scan_plain_string(*in, text) || !in->done()) {
        throw Declined{};
    }
    return std::string(text);
}

std::optional<double> optional_number(const ScannedObject& object, std::string_view name, NoPath) {
    auto in = value_of(object, name);
    if (!in) {
        return std::nullopt;
    }
    double value = 0;
    if (!scan_number(*in, value) || !in->done()) {
        throw Declined{};
    }
    return value;
}

std::optional<Timestamp> optional_timestamp(const ScannedObject& object, std::string_view name,
                                            NoPath, bool allow_text) {
    auto in = value_of(object, name);
    if (!in) {
        return std::nullopt;
    }
    std::optional<Timestamp> at;
    std::string_view text;
    double seconds = 0;
    if (in->at('"')) {
        if (allow_text && scan_plain_string(*in, text)) {
            at = protocol::parse_iso8601(text);
        }
    } else if (scan_number(*in, seconds)) {
        at = protocol::from_epoch_seconds(seconds);
    }
    if (!at || !in->done()) {
        throw Declined{};
    }
    return at;
}

std::optional<ScannedObject> optional_object(const ScannedObject& object, std::string_view name,
                                             NoPath) {
    auto in = value_of(object, name);
    if (!in) {
        return std::nullopt;
    }
    return ScannedObject(*in, object.index());
}

std::string required_string(const ScannedObject& object, std::string_view name, NoPath path) {
    return required(optional_string(object, name, path));
}

ScannedObject required_object(const ScannedObject& object, std::string_view name, NoPath path) {
    return required(optional_object(object, name, path));
}

Timestamp required_timestamp(const ScannedObject& object, std::string_view name, NoPath path,
                             bool allow_text) {
    return required(optional_timestamp(object, name, path, allow_text));
}

MediaAnalysisJob scan_job(Cursor& in) {
    // One per reading thread, its capacity kept from job to job.
    thread_local ScanIndex index;
    index.members.clear();
    index.unread = 0;
    const ScannedObject job(in, index);
    MediaAnalysisJob decoded = protocol::decoder::decode_job_description(job, NoPath{}, true);
    if (index.unread != 0) {
        throw Declined{};  // members the model does not know: the tree checks them
    }
    return decoded;
}

}  // namespace rekmock::fixtures
