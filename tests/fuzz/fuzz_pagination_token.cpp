// Fuzzes the pagination token codec:
// - decode() of any bytes never crashes, and a token it accepts is the canonical encoding of the
//   cursor it yields (no second spelling of a token is accepted);
// - round trip: a cursor built from the input (timestamp from the first 8 bytes, a JobId of
//   1..64 characters from the rest) survives decode(encode(c)) == c in its own context and is
//   refused in another one.
// Tokens in the corpus were made with the same fixed secret, so mutations reach past the MAC.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "media_analysis_job.hpp"
#include "pagination_token.hpp"

namespace {

using namespace rekmock;

// The context MediaAnalysisService uses for the default scope's listing.
constexpr std::string_view kContext = "ListMediaAnalysisJobs\n000000000000\nus-east-1";
constexpr std::string_view kOtherContext = "ListMediaAnalysisJobs\n111122223333\nus-east-1";

// Exactly the 64 characters a JobId in a token may use.
constexpr std::string_view kJobIdChars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
static_assert(kJobIdChars.size() == 64);

constexpr std::size_t kMaxJobIdSize = 64;

const service::PaginationTokenCodec& codec() {
    // "rekmock-fuzz-secret-0123456789ab": fixed, so the committed tokens stay valid.
    static const service::PaginationTokenCodec instance(std::vector<unsigned char>{
        'r', 'e', 'k', 'm', 'o', 'c', 'k', '-', 'f', 'u', 'z', 'z', '-', 's', 'e', 'c',
        'r', 'e', 't', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b'});
    return instance;
}

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "fuzz_pagination_token: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view token(reinterpret_cast<const char*>(data), size);
    if (const auto cursor = codec().decode(token, kContext)) {
        if (codec().encode(*cursor, kContext) != token) {
            fail("decode accepted a token that is not the canonical encoding of its cursor");
        }
        if (codec().decode(token, kOtherContext)) {
            fail("a token was accepted in another listing's context");
        }
    }

    if (size < 9) {
        return 0;
    }
    std::uint64_t millis = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        millis = (millis << 8) | data[i];
    }
    JobCursor cursor;
    cursor.creation_timestamp =
        Timestamp(std::chrono::milliseconds(static_cast<std::int64_t>(millis)));
    for (std::size_t i = 8; i < size && cursor.job_id.size() < kMaxJobIdSize; ++i) {
        cursor.job_id.push_back(kJobIdChars[data[i] % kJobIdChars.size()]);
    }
    const std::string encoded = codec().encode(cursor, kContext);
    const auto decoded = codec().decode(encoded, kContext);
    if (!decoded) {
        fail("decode refused a token encode made");
    }
    if (!(*decoded == cursor)) {
        fail("decode(encode(c)) != c");
    }
    if (codec().decode(encoded, kOtherContext)) {
        fail("a token was accepted in another listing's context");
    }
    return 0;
}
