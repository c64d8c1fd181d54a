#pragma once

#include <string_view>

namespace rekmock::testing {

// True for "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx" with lower-case hex digits only.
inline bool is_lowercase_uuid_v4(std::string_view id) {
    if (id.size() != 36) {
        return false;
    }
    for (std::size_t i = 0; i < id.size(); ++i) {
        const char c = id[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') {
                return false;
            }
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    const char variant = id[19];
    return id[14] == '4' && (variant == '8' || variant == '9' || variant == 'a' || variant == 'b');
}

}  // namespace rekmock::testing
