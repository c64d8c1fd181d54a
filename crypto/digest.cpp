#include "digest.hpp"

#include <mbedtls/md.h>
#include <mbedtls/sha256.h>

namespace rekmock::crypto {
namespace {

const unsigned char* bytes_of(std::string_view data) noexcept {
    return reinterpret_cast<const unsigned char*>(data.data());
}

}  // namespace

Sha256Digest sha256(std::string_view data) noexcept {
    Sha256Digest digest{};
    // Cannot fail: mbedTLS reports errors only for hardware accelerators, which this build has not.
    mbedtls_sha256_ret(bytes_of(data), data.size(), digest.data(), 0);
    return digest;
}

Sha256Digest hmac_sha256(std::string_view key, std::string_view data) noexcept {
    Sha256Digest mac{};
    mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), bytes_of(key), key.size(),
                    bytes_of(data), data.size(), mac.data());
    return mac;
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char difference = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        difference = static_cast<unsigned char>(difference | (a[i] ^ b[i]));
    }
    // No early exit: the time does not depend on where they differ.
    return difference == 0;
}

}  // namespace rekmock::crypto
