#include "listener.hpp"

#include "http_session.hpp"

namespace rekmock::net {

Listener::Listener(asio::io_context& ioc, const tcp::endpoint& endpoint, RequestHandler& handler,
                   SessionRegistry& registry, const ConnectionLimits& limits)
    : ioc_(ioc),
      acceptor_(asio::make_strand(ioc)),
      handler_(handler),
      registry_(registry),
      limits_(limits) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
}

void Listener::run() {
    do_accept();
}

void Listener::stop() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
        beast::error_code ec;
        self->acceptor_.close(ec);
    });
}

void Listener::do_accept() {
    acceptor_.async_accept(asio::make_strand(ioc_),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
        return;
    }
    if (!ec) {
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<HttpSession>(std::move(socket), handler_, registry_, limits_)->run();
    }
    // A failed accept (e.g. too many open files) must not stop the server from accepting.
    do_accept();
}

}  // namespace rekmock::net
