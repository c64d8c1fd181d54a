#pragma once

// AES-256 in counter mode, its own inverse: the same call encrypts and decrypts.

#include <array>
#include <vector>

namespace rekmock::crypto {

using Aes256Key = std::array<unsigned char, 32>;
using AesCounterBlock = std::array<unsigned char, 16>;

// `input` encrypted (or decrypted) under `key`, the counter starting at `iv`.
std::vector<unsigned char> aes256_ctr(const Aes256Key& key, const AesCounterBlock& iv,
                                      const std::vector<unsigned char>& input);

}  // namespace rekmock::crypto
