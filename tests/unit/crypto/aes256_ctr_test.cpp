#include "aes256_ctr.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

std::vector<unsigned char> bytes(const std::string& hex) {
    std::vector<unsigned char> out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
}

template <typename Array>
Array array_of(const std::string& hex) {
    Array out{};
    const auto raw = bytes(hex);
    std::copy(raw.begin(), raw.end(), out.begin());
    return out;
}

}  // namespace

TEST_SUITE("aes256_ctr") {
    // NIST SP 800-38A, F.5.5 (CTR-AES256.Encrypt) and F.5.6 (Decrypt).
    const auto key = array_of<rekmock::crypto::Aes256Key>(
        "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
    const auto counter =
        array_of<rekmock::crypto::AesCounterBlock>("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
    const auto plaintext = bytes(
        "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
        "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710");
    const auto ciphertext = bytes(
        "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
        "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6");

    TEST_CASE("AES-256-CTR gives NIST's ciphertext and is its own inverse") {
        CHECK(rekmock::crypto::aes256_ctr(key, counter, plaintext) == ciphertext);
        CHECK(rekmock::crypto::aes256_ctr(key, counter, ciphertext) == plaintext);
    }

    TEST_CASE("a partial last block and an empty input") {
        const std::vector<unsigned char> head(plaintext.begin(), plaintext.begin() + 21);
        const std::vector<unsigned char> expected(ciphertext.begin(), ciphertext.begin() + 21);
        CHECK(rekmock::crypto::aes256_ctr(key, counter, head) == expected);
        CHECK(rekmock::crypto::aes256_ctr(key, counter, {}).empty());
    }
}
