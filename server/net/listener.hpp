#pragma once

// Accepts connections and starts an HttpSession for each, on the I/O threads in turn.

#include <functional>
#include <memory>

#include "connection_limits.hpp"
#include "http_types.hpp"
#include "io_threads.hpp"
#include "net.hpp"

namespace rekmock::net {

class SessionRegistry;

// Told of the first failed accept after a success (EMFILE when descriptors run out), with the
// number of connections open; accepting is retried every 20 ms meanwhile.
using AcceptErrorHandler = std::function<void(const beast::error_code&, std::size_t)>;

class Listener : public std::enable_shared_from_this<Listener> {
  public:
    // Binds and listens on `endpoint` at once; throws boost::system::system_error on failure.
    Listener(IoThreads& threads, const tcp::endpoint& endpoint, RequestHandler& handler,
             SessionRegistry& registry, const ConnectionLimits& limits,
             AcceptErrorHandler on_accept_error = {});

    // The bound address, with the real port when 0 was asked for.
    tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
    // Starts accepting.
    void run();
    // Stops accepting; safe from any thread.
    void stop();

  private:
    void do_accept();
    void accept_later();
    void on_accept(beast::error_code ec, tcp::socket socket);

    IoThreads& threads_;
    tcp::acceptor acceptor_;
    asio::steady_timer retry_;
    RequestHandler& handler_;
    SessionRegistry& registry_;
    ConnectionLimits limits_;
    AcceptErrorHandler on_accept_error_;
    bool failing_ = false;  // the last accept failed: report only the first of a run
};

}  // namespace rekmock::net
