#include "scanned_object.hpp"

#include <array>

#include "job_description_decoder.hpp"
#include "timestamp_json.hpp"

namespace rekmock::fixtures {
namespace {

using Kind = ScanIndex::Kind;

// Indexes the object at the cursor: its members, each object's contiguous, land in `index`
// after those of the objects nested in it. Returns where they are.
std::pair<std::uint32_t, std::uint32_t> index_object(Cursor& in, ScanIndex& index, int depth) {
    // The model nests four levels; anything deeper is not the API's output.
    if (depth > 4 || !in.eat('{')) {
        throw Declined{};
    }
    std::array<ScanIndex::Member, 16> members;
    std::size_t count = 0;
    while (!in.at('}')) {
        if (count == members.size()) {
            throw Declined{};
        }
        ScanIndex::Member& member = members[count];
        if ((count > 0 && !in.eat(',')) || !scan_plain_string(in, member.key)) {
            throw Declined{};
        }
        in.skip_space();
        if (!in.eat(':')) {
            throw Declined{};
        }
        for (std::size_t i = 0; i < count; ++i) {
            if (members[i].key == member.key) {
                throw Declined{};  // nlohmann keeps the last; the tree decides
            }
        }
        member.read = false;
        if (in.at('"')) {
            member.kind = Kind::String;
            if (!scan_plain_string(in, member.text)) {
                throw Declined{};
            }
        } else if (in.at('{')) {
            member.kind = Kind::Object;
            std::tie(member.begin, member.end) = index_object(in, index, depth + 1);
        } else if (in.at('n')) {
            member.kind = Kind::Null;
            if (!in.eat_literal("null")) {
                throw Declined{};
            }
        } else {
            member.kind = Kind::Number;
            if (!scan_number(in, member.number)) {
                throw Declined{};  // negative numbers, arrays, booleans: not the API's output
            }
        }
        in.skip_space();
        ++count;
    }
    ++in.p;
    const auto begin = static_cast<std::uint32_t>(index.members.size());
    index.members.insert(index.members.end(), members.begin(), members.begin() + count);
    index.unread += static_cast<int>(count);
    return {begin, static_cast<std::uint32_t>(index.members.size())};
}

// Member `name` unless absent or null.
const ScanIndex::Member* present(const ScannedObject& object, std::string_view name) {
    const ScanIndex::Member* member = object.find(name);
    return member == nullptr || member->kind == Kind::Null ? nullptr : member;
}

// Member `name` unless absent or null; declines one of another kind.
const ScanIndex::Member* present(const ScannedObject& object, std::string_view name, Kind kind) {
    const ScanIndex::Member* member = present(object, name);
    if (member != nullptr && member->kind != kind) {
        throw Declined{};
    }
    return member;
}

template <typename T>
T required(std::optional<T> value) {
    if (!value) {
        throw Declined{};
    }
    return std::move(*value);
}

}  // namespace

ScannedObject::ScannedObject(Cursor& in, ScanIndex& index) : index_(&index), begin_(0), end_(0) {
    index.members.clear();
    index.unread = 0;
    std::tie(begin_, end_) = index_object(in, index, 0);
}

const ScanIndex::Member* ScannedObject::find(std::string_view name) const {
    for (std::uint32_t i = begin_; i < end_; ++i) {
        ScanIndex::Member& member = index_->members[i];
        if (member.key == name) {
            if (!member.read) {
                member.read = true;
                --index_->unread;
            }
            return &member;
        }
    }
    return nullptr;
}

std::optional<std::string> ScannedObject::string(std::string_view name) const {
    const auto* member = present(*this, name, Kind::String);
    return member != nullptr ? std::optional(std::string(member->text)) : std::nullopt;
}

std::optional<double> ScannedObject::number(std::string_view name) const {
    const auto* member = present(*this, name, Kind::Number);
    return member != nullptr ? std::optional(member->number) : std::nullopt;
}

std::optional<ScannedObject> ScannedObject::object(std::string_view name) const {
    const auto* member = present(*this, name, Kind::Object);
    return member != nullptr ? std::optional(ScannedObject(*index_, member->begin, member->end))
                             : std::nullopt;
}

std::string ScannedObject::required_string(std::string_view name) const {
    return required(string(name));
}

ScannedObject ScannedObject::required_object(std::string_view name) const {
    return required(object(name));
}

std::optional<Timestamp> optional_timestamp(const ScannedObject& object, std::string_view name,
                                            bool allow_text) {
    const auto* member = present(object, name);
    if (member == nullptr) {
        return std::nullopt;
    }
    std::optional<Timestamp> at;
    if (member->kind == Kind::String && allow_text) {
        at = protocol::parse_iso8601(member->text);
    } else if (member->kind == Kind::Number) {
        at = protocol::from_epoch_seconds(member->number);
    }
    return required(at);
}

Timestamp required_timestamp(const ScannedObject& object, std::string_view name, bool allow_text) {
    return required(optional_timestamp(object, name, allow_text));
}

MediaAnalysisJob scan_job(Cursor& in) {
    // One per reading thread, its capacity kept from job to job.
    thread_local ScanIndex index;
    const ScannedObject job(in, index);
    MediaAnalysisJob decoded = protocol::decoder::decode_job_description(job, true);
    if (index.unread != 0) {
        throw Declined{};  // members the model does not know: the tree checks them
    }
    return decoded;
}

}  // namespace rekmock::fixtures
