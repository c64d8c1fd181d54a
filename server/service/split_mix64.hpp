#pragma once

// SplitMix64: a tiny, fully specified pseudo-random generator. Where the mock promises "the same
// seed gives the same result" (synthetic fixtures, fault probabilities) it uses this rather than
// std:: distributions, whose output differs between standard libraries.

#include <cstdint>

namespace rekmock::service {

class SplitMix64 {
  public:
    explicit SplitMix64(std::uint64_t seed) noexcept : state_(seed) {}

    // The next 64 random bits.
    std::uint64_t next() noexcept {
        std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // A value in [0, bound); bound must be positive (modulo bias is irrelevant at our sizes).
    std::uint64_t below(std::uint64_t bound) noexcept { return next() % bound; }
    // A uniform draw in [0, 1) from the top 53 bits.
    double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  private:
    std::uint64_t state_;
};

}  // namespace rekmock::service
