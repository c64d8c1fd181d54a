#pragma once

// The running server: a listener, its sessions, the I/O threads and graceful shutdown on
// SIGINT/SIGTERM (stop accepting, finish responses in flight, then return from run()).

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "connection_limits.hpp"
#include "http_types.hpp"
#include "io_threads.hpp"
#include "listener.hpp"
#include "net.hpp"
#include "session_registry.hpp"

namespace rekmock::net {

class HttpServer {
  public:
    // Binds `host`:`port` (0 picks a free port) at once, to be served on `threads` threads (the
    // caller's of run() included); throws on failure.
    HttpServer(const std::string& host, unsigned short port, unsigned threads,
               RequestHandler& handler, const ConnectionLimits& limits,
               AcceptErrorHandler on_accept_error = {});
    ~HttpServer();

    // The bound address and port.
    tcp::endpoint local_endpoint() const;

    // Serves, each connection on one thread, until a signal or stop() drains it;
    // connections still open `grace` after the signal are dropped.
    void run(std::chrono::milliseconds grace);

    // Begins a graceful stop, as SIGTERM does; safe from any thread.
    void stop();

  private:
    void begin_stop();

    // Before the io_contexts: handlers they still hold when destroyed (a response delivered after
    // the stop) end sessions, which leave the registry.
    SessionRegistry registry_;
    IoThreads threads_;
    std::shared_ptr<Listener> listener_;
    asio::signal_set signals_;
    asio::steady_timer deadline_;
    std::chrono::milliseconds grace_{1000};
    std::atomic<bool> stopping_{false};
};

}  // namespace rekmock::net
