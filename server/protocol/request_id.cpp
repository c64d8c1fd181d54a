#include "request_id.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace rekmock::protocol {

std::string new_request_id() {
    // Request ids need uniqueness, not secrecy: a per-thread PRNG avoids any lock.
    thread_local std::mt19937_64 engine{std::random_device{}()};
    std::array<std::uint64_t, 2> words{engine(), engine()};
    words[0] = (words[0] & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
    words[1] = (words[1] & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    id.reserve(36);
    int nibble = 0;
    for (const std::uint64_t word : words) {
        for (int shift = 60; shift >= 0; shift -= 4, ++nibble) {
            if (nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20) {
                id.push_back('-');
            }
            id.push_back(kHex[(word >> shift) & 0xf]);
        }
    }
    return id;
}

}  // namespace rekmock::protocol
