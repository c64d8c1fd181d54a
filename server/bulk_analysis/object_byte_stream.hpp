#pragma once

// An object store's reader as the service's ByteStream, its first bytes read ahead when they
// must be judged (an image's signature) before the stream is handed on whole.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "byte_stream.hpp"
#include "object_store.hpp"

namespace rekmock::bulk_analysis {

class ObjectByteStream final : public service::ByteStream {
  public:
    explicit ObjectByteStream(std::unique_ptr<objects::ObjectReader> reader)
        : reader_(std::move(reader)) {}

    // The first `count` bytes (fewer only when the object is shorter), read ahead: read() still
    // returns them first. Call before read(); throws ObjectStoreError.
    std::string_view peek(std::size_t count);

    std::uint64_t size() const noexcept override { return reader_->size(); }
    std::size_t read(char* out, std::size_t capacity) override;

  private:
    std::unique_ptr<objects::ObjectReader> reader_;
    std::string ahead_;         // bytes peeked and not yet read
    std::size_t ahead_at_ = 0;  // of ahead_, the first not yet read
};

}  // namespace rekmock::bulk_analysis
