#include "job_id.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace rekmock::service {

std::string new_job_id() {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id;
    id.reserve(64);
    for (const unsigned char byte : bytes) {
        id.push_back(kHex[byte >> 4]);
        id.push_back(kHex[byte & 0xf]);
    }
    return id;
}

}  // namespace rekmock::service
