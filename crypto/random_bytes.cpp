#include "random_bytes.hpp"

#include <sys/random.h>

#include <cerrno>
#include <system_error>

namespace rekmock::crypto {

void fill_random(std::span<unsigned char> out) {
    std::size_t filled = 0;
    while (filled < out.size()) {
        // Blocks only before the kernel's pool is first seeded, which a running system is past.
        const ssize_t got = ::getrandom(out.data() + filled, out.size() - filled, 0);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw std::system_error(errno, std::generic_category(), "getrandom");
        }
        filled += static_cast<std::size_t>(got);
    }
}

}  // namespace rekmock::crypto
