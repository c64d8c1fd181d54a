#pragma once

// A response body too large to hold in memory (an object store's file), read a piece at a time
// as the client takes it. Reading may block, so it runs where the source says, never on an I/O
// thread; the network layer knows no more of where the bytes come from.

#include <cstddef>
#include <cstdint>
#include <functional>

namespace rekmock::net {

class BodySource {
  public:
    virtual ~BodySource() = default;
    // The body's length in bytes, sent as Content-Length before the first byte is read.
    virtual std::uint64_t size() const noexcept = 0;
    // Calls `task` once, later, on a thread where read() may block; a source that can no longer
    // (the server stopping) destroys `task` uncalled.
    virtual void on_reader_thread(std::function<void()> task) = 0;
    // Copies up to `capacity` next bytes into `out`; returns how many, 0 at the end. Blocks; one
    // call at a time. Throws when the body cannot be read further.
    virtual std::size_t read(char* out, std::size_t capacity) = 0;
};

}  // namespace rekmock::net
