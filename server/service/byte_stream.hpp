#pragma once

// An object's bytes as the object viewer (object_viewer.hpp) hands them to the control plane
// (an output file, an image): read in order, a piece at a time, never whole in memory.

#include <cstddef>
#include <cstdint>

namespace rekmock::service {

class ByteStream {
  public:
    virtual ~ByteStream() = default;
    // The object's size in bytes.
    virtual std::uint64_t size() const noexcept = 0;
    // Copies up to `capacity` next bytes into `out`; returns how many, 0 at the end. May block
    // on the object store; throws std::runtime_error when the stream breaks.
    virtual std::size_t read(char* out, std::size_t capacity) = 0;
};

}  // namespace rekmock::service
