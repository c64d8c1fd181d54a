#pragma once

// A ByteStream over a string, for tests: optionally handing out at most `step` bytes per read
// and breaking (std::runtime_error) once `fail_at` bytes have been read.

#include <algorithm>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "byte_stream.hpp"

namespace rekmock::testing {

class StringByteStream final : public service::ByteStream {
  public:
    explicit StringByteStream(std::string bytes, std::size_t step = 1 << 20,
                              std::optional<std::size_t> fail_at = std::nullopt)
        : bytes_(std::move(bytes)), step_(step), fail_at_(fail_at) {}

    std::uint64_t size() const noexcept override { return bytes_.size(); }
    std::size_t read(char* out, std::size_t capacity) override {
        if (fail_at_ && at_ >= *fail_at_) {
            throw std::runtime_error("the stream broke");
        }
        const std::size_t given = std::min({capacity, step_, bytes_.size() - at_});
        std::memcpy(out, bytes_.data() + at_, given);
        at_ += given;
        return given;
    }
    // Bytes handed out so far.
    std::size_t read_so_far() const noexcept { return at_; }

  private:
    std::string bytes_;
    std::size_t step_;
    std::optional<std::size_t> fail_at_;
    std::size_t at_ = 0;
};

}  // namespace rekmock::testing
