#pragma once

// Accepts connections and starts an HttpSession on its own strand for each.

#include <memory>

#include "connection_limits.hpp"
#include "http_types.hpp"
#include "net.hpp"

namespace rekmock::net {

class SessionRegistry;

class Listener : public std::enable_shared_from_this<Listener> {
  public:
    // Binds and listens on `endpoint` at once; throws boost::system::system_error on failure.
    Listener(asio::io_context& ioc, const tcp::endpoint& endpoint, RequestHandler& handler,
             SessionRegistry& registry, const ConnectionLimits& limits);

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

    asio::io_context& ioc_;
    tcp::acceptor acceptor_;
    asio::steady_timer retry_;
    RequestHandler& handler_;
    SessionRegistry& registry_;
    ConnectionLimits limits_;
};

}  // namespace rekmock::net
