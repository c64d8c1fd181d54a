#pragma once

// The most recent AWS requests the mock answered, so a test can assert what its code called:
// routed ones with their operation, and the ones it could not route (unknown target, another
// method, unreadable HTTP) as such. A bounded ring: old entries fall off. Thread-safe.

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media_analysis_job.hpp"
#include "request_members.hpp"

namespace rekmock::protocol {

// The most bytes of any text a client chose (a token, a path) that a record keeps: a record
// stays small whatever was sent, and every value the API accepts fits (AWS's longest is 64).
inline constexpr std::size_t kMaxNotedBytes = 256;

// The most bytes of a request's or a response's body that a record keeps: enough for every
// request and for the start of any answer, so the log stays a few MB at its 1000 records.
inline constexpr std::size_t kMaxBodyBytes = 4096;

// A body as the log keeps it: its first kMaxBodyBytes (cut back to a whole UTF-8 sequence) and
// its full size, so a reader sees when it was cut.
struct KeptBody {
    std::string text;
    std::size_t bytes = 0;

    // `body`'s first kMaxBodyBytes and its size.
    static KeptBody of(std::string_view body);
    bool operator==(const KeptBody&) const = default;
};

// The members of a request that tests assert on ("Start was called once with this token"), as
// sent when they were strings, whether or not the request then passed validation.
struct NotedMembers {
    std::optional<std::string> client_request_token;  // StartMediaAnalysisJob's
    std::optional<std::string> job_name;              // StartMediaAnalysisJob's
};

// What a request to `operation` with `body` sent of the members the journal keeps. Read apart
// from the operation, so a request that never reached it (an injected fault, a signature
// refused) or that it refused is noted all the same; a body that is not a JSON object notes
// nothing.
NotedMembers noted_members(std::string_view operation, std::string_view body);
// The same, from a body already read as a JSON object.
NotedMembers noted_members_of_object(std::string_view operation, const Json& body);

// What a request that reached no operation asked for; an empty member was not read (HTTP the
// mock could not parse).
struct UnroutableRequest {
    std::string method;
    std::string path;    // the request target, query included
    std::string target;  // X-Amz-Target; empty when absent
};

struct RequestRecord {
    Timestamp time{};
    std::string request_id;
    std::string operation;  // the operation served; "" when `unroutable`
    Scope caller;
    unsigned status = 0;
    std::string error_type;  // "" on success
    NotedMembers noted;
    std::optional<UnroutableRequest> unroutable;  // set when no operation took the request
    // From receipt of the whole request to its answer leaving, injected latency included.
    std::chrono::microseconds latency{0};
    KeptBody request_body;
    KeptBody response_body;
};

struct RequestFilter;

// The records a query selects: the newest `limit` matches, oldest first, and how many matched.
struct RequestSelection {
    std::vector<RequestRecord> records;
    std::size_t matched = 0;
};

class RequestJournal {
  public:
    explicit RequestJournal(std::size_t capacity = 1000) : capacity_(capacity) {}

    // Appends a record (its client-chosen texts cut to kMaxNotedBytes), dropping the oldest
    // beyond capacity.
    void record(RequestRecord entry);
    // The records after the one whose RequestId is `since` (all when absent) that `filter`
    // matches; std::nullopt when no record kept has that RequestId.
    std::optional<RequestSelection> select(const RequestFilter& filter,
                                           const std::optional<std::string>& since,
                                           std::size_t limit) const;
    // Forgets every record.
    void clear();

  private:
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::deque<RequestRecord> records_;
};

}  // namespace rekmock::protocol
