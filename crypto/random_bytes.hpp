#pragma once

// Unpredictable bytes from the kernel.

#include <span>

namespace rekmock::crypto {

// Fills `out` from the kernel's random source (getrandom(2)). Throws std::system_error.
void fill_random(std::span<unsigned char> out);

}  // namespace rekmock::crypto
