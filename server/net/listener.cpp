#include "listener.hpp"

#include "http_session.hpp"
#include "session_registry.hpp"

namespace rekmock::net {

Listener::Listener(IoThreads& threads, const tcp::endpoint& endpoint, RequestHandler& handler,
                   SessionRegistry& registry, const ConnectionLimits& limits,
                   AcceptErrorHandler on_accept_error)
    : threads_(threads),
      acceptor_(threads.first()),
      retry_(acceptor_.get_executor()),
      handler_(handler),
      registry_(registry),
      limits_(limits),
      on_accept_error_(std::move(on_accept_error)) {
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
        self->retry_.cancel();
        self->acceptor_.close(ec);
    });
}

void Listener::do_accept() {
    if (registry_.size() >= limits_.max_connections) {
        accept_later();
        return;
    }
    acceptor_.async_accept(threads_.next_connection_executor(),
                           beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
        return;
    }
    if (ec) {
        // Out of file descriptors, most likely: pause instead of spinning on the error.
        if (!failing_ && on_accept_error_) {
            on_accept_error_(ec, registry_.size());
        }
        failing_ = true;
        accept_later();
        return;
    }
    failing_ = false;
    socket.set_option(tcp::no_delay(true), ec);
    std::make_shared<HttpSession>(std::move(socket), handler_, registry_, limits_)->run();
    do_accept();
}

void Listener::accept_later() {
    retry_.expires_after(std::chrono::milliseconds(20));
    retry_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec && self->acceptor_.is_open()) {
            self->do_accept();
        }
    });
}

}  // namespace rekmock::net
