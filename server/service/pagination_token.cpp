#include "pagination_token.hpp"

#include <algorithm>
#include <cstdint>
#include <stdexcept>

#include "aes256_ctr.hpp"
#include "base64url.hpp"
#include "digest.hpp"

namespace rekmock::service {
namespace {

constexpr unsigned char kVersion = 1;
constexpr std::size_t kTagSize = 32;
constexpr std::size_t kTimestampSize = 8;
constexpr std::size_t kMaxJobIdSize = 64;

std::string_view view_of(const unsigned char* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

crypto::AesCounterBlock counter_of(const unsigned char* tag) {
    crypto::AesCounterBlock iv{};
    std::copy(tag, tag + iv.size(), iv.begin());
    return iv;
}

bool is_job_id_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

}  // namespace

PaginationTokenCodec::PaginationTokenCodec(const std::vector<unsigned char>& secret)
    : enc_key_(crypto::hmac_sha256(view_of(secret.data(), secret.size()),
                                   "rekognition-mock pagination token encryption")),
      mac_key_(crypto::hmac_sha256(view_of(secret.data(), secret.size()),
                                   "rekognition-mock pagination token mac")) {
    if (secret.size() < 16) {
        throw std::invalid_argument("pagination token secret is shorter than 16 bytes");
    }
}

crypto::Sha256Digest PaginationTokenCodec::tag(std::string_view context,
                                               const std::vector<unsigned char>& plaintext) const {
    // Length-prefix the context so (context, plaintext) pairs cannot collide.
    std::vector<unsigned char> data(3 + context.size() + plaintext.size());
    data[0] = kVersion;
    data[1] = static_cast<unsigned char>((context.size() >> 8) & 0xff);
    data[2] = static_cast<unsigned char>(context.size() & 0xff);
    std::copy(context.begin(), context.end(), data.begin() + 3);
    std::copy(plaintext.begin(), plaintext.end(),
              data.begin() + 3 + static_cast<std::ptrdiff_t>(context.size()));
    return crypto::hmac_sha256(view_of(mac_key_.data(), mac_key_.size()),
                               view_of(data.data(), data.size()));
}

std::string PaginationTokenCodec::encode(const JobCursor& cursor, std::string_view context) const {
    std::vector<unsigned char> plaintext(kTimestampSize + cursor.job_id.size());
    const auto millis =
        static_cast<std::uint64_t>(cursor.creation_timestamp.time_since_epoch().count());
    for (std::size_t i = 0; i < kTimestampSize; ++i) {
        plaintext[i] = static_cast<unsigned char>((millis >> (56 - 8 * i)) & 0xff);
    }
    std::copy(cursor.job_id.begin(), cursor.job_id.end(), plaintext.begin() + kTimestampSize);

    const crypto::Sha256Digest mac = tag(context, plaintext);
    const std::vector<unsigned char> ciphertext =
        crypto::aes256_ctr(enc_key_, counter_of(mac.data()), plaintext);
    std::vector<unsigned char> token(1 + kTagSize + ciphertext.size());
    token[0] = kVersion;
    std::copy(mac.begin(), mac.begin() + kTagSize, token.begin() + 1);
    std::copy(ciphertext.begin(), ciphertext.end(), token.begin() + 1 + kTagSize);
    return base64url_encode(token);
}

std::optional<JobCursor> PaginationTokenCodec::decode(std::string_view token,
                                                      std::string_view context) const {
    if (token.size() > kMaxPaginationTokenLength) {
        return std::nullopt;
    }
    const auto raw = base64url_decode(token);
    if (!raw || raw->size() < 1 + kTagSize + kTimestampSize + 1 ||
        raw->size() > 1 + kTagSize + kTimestampSize + kMaxJobIdSize || (*raw)[0] != kVersion) {
        return std::nullopt;
    }
    const unsigned char* received_tag = raw->data() + 1;
    const std::vector<unsigned char> ciphertext(raw->begin() + 1 + kTagSize, raw->end());
    const std::vector<unsigned char> plaintext =
        crypto::aes256_ctr(enc_key_, counter_of(received_tag), ciphertext);
    const crypto::Sha256Digest expected_tag = tag(context, plaintext);
    if (!crypto::constant_time_equal(view_of(expected_tag.data(), kTagSize),
                                     view_of(received_tag, kTagSize))) {
        return std::nullopt;
    }

    std::uint64_t millis = 0;
    for (std::size_t i = 0; i < kTimestampSize; ++i) {
        millis = (millis << 8) | plaintext[i];
    }
    JobCursor cursor;
    cursor.creation_timestamp =
        Timestamp(std::chrono::milliseconds(static_cast<std::int64_t>(millis)));
    cursor.job_id.assign(plaintext.begin() + kTimestampSize, plaintext.end());
    for (const char c : cursor.job_id) {
        if (!is_job_id_char(static_cast<unsigned char>(c))) {
            return std::nullopt;
        }
    }
    return cursor;
}

}  // namespace rekmock::service
