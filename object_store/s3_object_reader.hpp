#pragma once

// An object's bytes streaming from a GetObject response: at most the prefix asked for, read
// straight into the caller's buffer.

#include <cstdint>
#include <string>

#include "object_store.hpp"
#include "s3_client.hpp"

namespace rekmock::objects {

class S3ObjectReader final : public ObjectReader {
  public:
    // Reads at most `limit` bytes of `response`'s body, the object `target` of `size` bytes; a
    // body ending before min(size, limit) bytes is ObjectStoreError (Unavailable), not an end.
    S3ObjectReader(S3Response response, std::uint64_t size, std::uint64_t limit,
                   std::string target);

    std::uint64_t size() const noexcept override { return size_; }
    std::size_t read(char* out, std::size_t capacity) override;

  private:
    S3Response response_;
    std::uint64_t size_;
    std::uint64_t remaining_;
    std::string target_;
};

// The object size of a 206 answer's Content-Range ("bytes 0-9/12345"); std::nullopt when it
// does not name one.
std::optional<std::uint64_t> content_range_size(std::string_view content_range);

}  // namespace rekmock::objects
