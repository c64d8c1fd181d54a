#include "request_journal.hpp"

#include <algorithm>

#include "protocol_error.hpp"
#include "request_filter.hpp"
#include "request_members.hpp"

namespace rekmock::protocol {
namespace {

// How many of `text`'s first `max` bytes to keep: cut back to the start of a UTF-8 sequence, so
// a cut never leaves half a character behind for the JSON answer to stumble on.
std::size_t clipped_size(std::string_view text, std::size_t max) {
    if (text.size() <= max) {
        return text.size();
    }
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return end;
}

void clip(std::string& text) {
    text.resize(clipped_size(text, kMaxNotedBytes));
}

void clip(std::optional<std::string>& text) {
    if (text) {
        clip(*text);
    }
}

}  // namespace

KeptBody KeptBody::of(std::string_view body) {
    return KeptBody{std::string(body.substr(0, clipped_size(body, kMaxBodyBytes))), body.size()};
}

NotedMembers noted_members_of_object(std::string_view operation, const Json& body) {
    NotedMembers noted;
    if (operation == "StartMediaAnalysisJob") {
        noted.client_request_token = json::string_member(body, "ClientRequestToken");
        noted.job_name = json::string_member(body, "JobName");
    }
    return noted;
}

NotedMembers noted_members(std::string_view operation, std::string_view body) {
    if (operation != "StartMediaAnalysisJob") {
        return {};
    }
    try {
        return noted_members_of_object(operation, parse_json_object(body));
    } catch (const ProtocolError&) {
        // Not an object: the operation answered (or would have) SerializationException.
        return {};
    }
}

void RequestJournal::record(RequestRecord entry) {
    clip(entry.noted.client_request_token);
    clip(entry.noted.job_name);
    if (entry.unroutable) {
        clip(entry.unroutable->method);
        clip(entry.unroutable->path);
        clip(entry.unroutable->target);
    }
    std::lock_guard lock(mutex_);
    records_.push_back(std::move(entry));
    while (records_.size() > capacity_) {
        records_.pop_front();
    }
}

std::optional<RequestSelection> RequestJournal::select(const RequestFilter& filter,
                                                       const std::optional<std::string>& since,
                                                       std::size_t limit) const {
    std::lock_guard lock(mutex_);
    auto first = records_.begin();
    if (since) {
        // Request ids are unique, so the newest record with this one is the only one.
        const auto named = std::find_if(records_.rbegin(), records_.rend(), [&](const auto& entry) {
            return entry.request_id == *since;
        });
        if (named == records_.rend()) {
            return std::nullopt;
        }
        first = named.base();
    }
    // Newest first, so the selection stops copying once it holds `limit`.
    RequestSelection selection;
    for (auto it = records_.end(); it != first;) {
        --it;
        if (filter.matches(*it)) {
            if (selection.matched++ < limit) {
                selection.records.push_back(*it);
            }
        }
    }
    std::reverse(selection.records.begin(), selection.records.end());
    return selection;
}

void RequestJournal::clear() {
    std::lock_guard lock(mutex_);
    records_.clear();
}

}  // namespace rekmock::protocol
