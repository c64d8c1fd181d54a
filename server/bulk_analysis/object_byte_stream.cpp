#include "object_byte_stream.hpp"

#include <algorithm>
#include <cstring>

namespace rekmock::bulk_analysis {

std::string_view ObjectByteStream::peek(std::size_t count) {
    ahead_.resize(count);
    std::size_t filled = 0;
    while (filled < count) {
        const std::size_t got = reader_->read(ahead_.data() + filled, count - filled);
        if (got == 0) {
            break;
        }
        filled += got;
    }
    ahead_.resize(filled);
    ahead_at_ = 0;
    return ahead_;
}

std::size_t ObjectByteStream::read(char* out, std::size_t capacity) {
    if (ahead_at_ < ahead_.size()) {
        const std::size_t given = std::min(capacity, ahead_.size() - ahead_at_);
        std::memcpy(out, ahead_.data() + ahead_at_, given);
        ahead_at_ += given;
        return given;
    }
    return reader_->read(out, capacity);
}

}  // namespace rekmock::bulk_analysis
