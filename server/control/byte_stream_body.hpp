#pragma once

// An object's bytes as a streamed response body: the service's ByteStream, read on its work
// threads (MockControl::run_blocking), never on the connection's I/O thread.

#include <memory>
#include <string>

#include "body_source.hpp"
#include "byte_stream.hpp"
#include "mock_control.hpp"

namespace rekmock::control {

class ByteStreamBody final : public net::BodySource {
  public:
    // Streams `bytes`; `control` must outlive this.
    ByteStreamBody(std::unique_ptr<service::ByteStream> bytes, MockControl& control)
        : bytes_(std::move(bytes)), control_(control) {}

    std::uint64_t size() const noexcept override { return bytes_->size(); }
    void on_reader_thread(std::function<void()> task) override {
        control_.run_blocking(std::move(task));
    }
    std::size_t read(char* out, std::size_t capacity) override {
        return bytes_->read(out, capacity);
    }

  private:
    std::unique_ptr<service::ByteStream> bytes_;
    MockControl& control_;
};

// Every byte of `source` (a ByteStream, a BodySource), read here; fewer if it ends early.
template <typename Source>
std::string read_whole(Source& source) {
    std::string whole(static_cast<std::size_t>(source.size()), '\0');
    std::size_t filled = 0;
    while (filled < whole.size()) {
        const std::size_t got = source.read(whole.data() + filled, whole.size() - filled);
        if (got == 0) {
            break;
        }
        filled += got;
    }
    whole.resize(filled);
    return whole;
}

}  // namespace rekmock::control
