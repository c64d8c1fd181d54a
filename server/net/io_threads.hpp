#pragma once

// The I/O threads: one io_context per thread, each connection pinned to one of them. A request
// on one connection then never moves between cores (no strand, no hand-off between threads: with
// one shared io_context a keep-alive connection's reads and writes bounced across threads and
// served half the requests a second that it serves pinned). The price: a handler that computes
// for long holds up the other connections of its thread, so nothing slow runs on these threads
// (the object store is reached from the work pool, see WouldBlock).

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "net.hpp"

namespace rekmock::net {

class IoThreads {
  public:
    // `threads` io_contexts (at least one), each with its descriptors open from the start.
    explicit IoThreads(unsigned threads);

    asio::io_context& first() noexcept { return *contexts_.front(); }
    // The executor the next connection runs on: the io_contexts in turn. Called by the listener
    // only (from the first io_context's thread).
    asio::any_io_executor next_connection_executor();

    // Runs the io_contexts, one per thread (the caller's runs the first), until each has run out
    // of work after release() or until stop().
    void run();
    // Lets the other io_contexts end once their connections have; safe from any thread.
    void release();
    // Stops every io_context at once; safe from any thread.
    void stop();

  private:
    using Guard = asio::executor_work_guard<asio::io_context::executor_type>;
    std::vector<std::unique_ptr<asio::io_context>> contexts_;
    std::vector<Guard> guards_;  // keep the others running while they have no connection
    std::size_t next_ = 0;
};

}  // namespace rekmock::net
