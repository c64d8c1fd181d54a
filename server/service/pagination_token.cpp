#include "pagination_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include "base64url.hpp"

namespace rekmock::service {
namespace {

constexpr unsigned char kVersion = 1;
constexpr std::size_t kTagSize = 32;
constexpr std::size_t kIvSize = 16;
constexpr std::size_t kTimestampSize = 8;
constexpr std::size_t kMaxJobIdSize = 64;

std::vector<unsigned char> hmac_sha256(const std::vector<unsigned char>& key,
                                       const std::vector<unsigned char>& data) {
    std::vector<unsigned char> out(EVP_MAX_MD_SIZE);
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(),
             out.data(), &size) == nullptr) {
        throw std::runtime_error("HMAC-SHA256 failed");
    }
    out.resize(size);
    return out;
}

std::vector<unsigned char> bytes_of(std::string_view text) {
    return std::vector<unsigned char>(text.begin(), text.end());
}

// AES-256-CTR is its own inverse: the same call encrypts and decrypts.
std::vector<unsigned char> aes_ctr(const std::vector<unsigned char>& key, const unsigned char* iv,
                                   const std::vector<unsigned char>& input) {
    const std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                              EVP_CIPHER_CTX_free);
    std::vector<unsigned char> out(input.size() + kIvSize);
    int written = 0;
    int final_written = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_ctr(), nullptr, key.data(), iv) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out.data(), &written, input.data(),
                          static_cast<int>(input.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out.data() + written, &final_written) != 1) {
        throw std::runtime_error("AES-256-CTR failed");
    }
    out.resize(static_cast<std::size_t>(written + final_written));
    return out;
}

bool is_job_id_char(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

}  // namespace

PaginationTokenCodec::PaginationTokenCodec(const std::vector<unsigned char>& secret)
    : enc_key_(hmac_sha256(secret, bytes_of("rekognition-mock pagination token encryption"))),
      mac_key_(hmac_sha256(secret, bytes_of("rekognition-mock pagination token mac"))) {
    if (secret.size() < 16) {
        throw std::invalid_argument("pagination token secret is shorter than 16 bytes");
    }
}

std::vector<unsigned char> PaginationTokenCodec::tag(
    std::string_view context, const std::vector<unsigned char>& plaintext) const {
    // Length-prefix the context so (context, plaintext) pairs cannot collide.
    std::vector<unsigned char> data(3 + context.size() + plaintext.size());
    data[0] = kVersion;
    data[1] = static_cast<unsigned char>((context.size() >> 8) & 0xff);
    data[2] = static_cast<unsigned char>(context.size() & 0xff);
    std::copy(context.begin(), context.end(), data.begin() + 3);
    std::copy(plaintext.begin(), plaintext.end(),
              data.begin() + 3 + static_cast<std::ptrdiff_t>(context.size()));
    return hmac_sha256(mac_key_, data);
}

std::string PaginationTokenCodec::encode(const JobCursor& cursor, std::string_view context) const {
    std::vector<unsigned char> plaintext(kTimestampSize + cursor.job_id.size());
    const auto millis =
        static_cast<std::uint64_t>(cursor.creation_timestamp.time_since_epoch().count());
    for (std::size_t i = 0; i < kTimestampSize; ++i) {
        plaintext[i] = static_cast<unsigned char>((millis >> (56 - 8 * i)) & 0xff);
    }
    std::copy(cursor.job_id.begin(), cursor.job_id.end(), plaintext.begin() + kTimestampSize);

    const std::vector<unsigned char> mac = tag(context, plaintext);
    const std::vector<unsigned char> ciphertext = aes_ctr(enc_key_, mac.data(), plaintext);
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
    const std::vector<unsigned char> plaintext = aes_ctr(enc_key_, received_tag, ciphertext);
    const std::vector<unsigned char> expected_tag = tag(context, plaintext);
    if (CRYPTO_memcmp(expected_tag.data(), received_tag, kTagSize) != 0) {
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
