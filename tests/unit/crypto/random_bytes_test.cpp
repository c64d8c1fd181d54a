#include "random_bytes.hpp"

#include <doctest/doctest.h>

#include <array>
#include <vector>

TEST_SUITE("random_bytes") {
    TEST_CASE("fill_random fills every byte and two fills differ") {
        // Two equal fills of 16 KiB happen with probability 2^-131072.
        std::vector<unsigned char> first(16384, 0);
        std::vector<unsigned char> second(16384, 0);
        rekmock::crypto::fill_random(first);
        rekmock::crypto::fill_random(second);
        CHECK(first != second);
        std::array<int, 256> seen{};
        for (const unsigned char byte : first) {
            ++seen[byte];
        }
        // A byte value missing from 16 KiB of uniform bytes: probability about 256 * e^-64.
        for (const int count : seen) {
            CHECK(count > 0);
        }
        rekmock::crypto::fill_random({});
    }
}
