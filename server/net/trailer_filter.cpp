#include "trailer_filter.hpp"

#include <algorithm>
#include <functional>

namespace rekmock::net {

TrailerFilter::TrailerFilter(const http::fields& header) {
    for (const auto& field : header) {
        header_fields_.push_back(&field);
    }
    std::sort(header_fields_.begin(), header_fields_.end(), std::less<>{});
}

void TrailerFilter::drop_trailer(http::fields& fields) const {
    // Address identity, not position: Beast files a repeated name next to its first occurrence.
    for (auto field = fields.begin(); field != fields.end();) {
        const void* address = &*field;
        if (std::binary_search(header_fields_.begin(), header_fields_.end(), address,
                               std::less<>{})) {
            ++field;
        } else {
            field = fields.erase(field);
        }
    }
}

}  // namespace rekmock::net
