#include "aes256_ctr.hpp"

#include <mbedtls/aes.h>

#include <memory>
#include <stdexcept>

namespace rekmock::crypto {

std::vector<unsigned char> aes256_ctr(const Aes256Key& key, const AesCounterBlock& iv,
                                      const std::vector<unsigned char>& input) {
    mbedtls_aes_context context;
    mbedtls_aes_init(&context);
    const std::unique_ptr<mbedtls_aes_context, decltype(&mbedtls_aes_free)> owner(&context,
                                                                                  mbedtls_aes_free);
    std::vector<unsigned char> out(input.size());
    AesCounterBlock counter = iv;
    AesCounterBlock stream{};
    std::size_t offset = 0;
    if (mbedtls_aes_setkey_enc(&context, key.data(), 256) != 0 ||
        mbedtls_aes_crypt_ctr(&context, input.size(), &offset, counter.data(), stream.data(),
                              input.data(), out.data()) != 0) {
        throw std::runtime_error("AES-256-CTR failed");
    }
    return out;
}

}  // namespace rekmock::crypto
