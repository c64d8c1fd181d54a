#include "job_id.hpp"

#include <array>

#include "random_bytes.hpp"

namespace rekmock::service {

std::string new_job_id() {
    std::array<unsigned char, 32> bytes{};
    crypto::fill_random(bytes);
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
