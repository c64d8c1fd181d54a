#include "digest.hpp"

#include <doctest/doctest.h>

#include <string>

namespace {

std::string hex(const rekmock::crypto::Sha256Digest& digest) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char byte : digest) {
        out.push_back(kDigits[byte >> 4]);
        out.push_back(kDigits[byte & 0xf]);
    }
    return out;
}

}  // namespace

TEST_SUITE("digest") {
    TEST_CASE("SHA-256 gives FIPS 180-2's digests") {
        CHECK(hex(rekmock::crypto::sha256("")) ==
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        CHECK(hex(rekmock::crypto::sha256("abc")) ==
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        CHECK(hex(rekmock::crypto::sha256(std::string(1'000'000, 'a'))) ==
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }

    TEST_CASE("HMAC-SHA256 gives RFC 4231's MACs, keys longer than a block included") {
        CHECK(hex(rekmock::crypto::hmac_sha256("Jefe", "what do ya want for nothing?")) ==
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        CHECK(hex(rekmock::crypto::hmac_sha256(
                  std::string(131, '\xaa'),
                  "Test Using Larger Than Block-Size Key - Hash Key First")) ==
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    TEST_CASE("constant_time_equal compares sizes and every byte") {
        CHECK(rekmock::crypto::constant_time_equal("", ""));
        CHECK(rekmock::crypto::constant_time_equal("signature", "signature"));
        CHECK_FALSE(rekmock::crypto::constant_time_equal("signature", "signaturE"));
        CHECK_FALSE(rekmock::crypto::constant_time_equal("Signature", "signature"));
        CHECK_FALSE(rekmock::crypto::constant_time_equal("signature", "signatur"));
    }
}
