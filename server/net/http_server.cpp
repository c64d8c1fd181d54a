#include "http_server.hpp"

namespace rekmock::net {

HttpServer::HttpServer(const std::string& host, unsigned short port, unsigned threads,
                       RequestHandler& handler, const ConnectionLimits& limits,
                       AcceptErrorHandler on_accept_error)
    : threads_(threads), signals_(threads_.first(), SIGINT, SIGTERM), deadline_(threads_.first()) {
    const tcp::endpoint endpoint(asio::ip::make_address(host), port);
    listener_ = std::make_shared<Listener>(threads_, endpoint, handler, registry_, limits,
                                           std::move(on_accept_error));
}

HttpServer::~HttpServer() = default;

tcp::endpoint HttpServer::local_endpoint() const {
    return listener_->local_endpoint();
}

void HttpServer::run(std::chrono::milliseconds grace) {
    grace_ = grace;
    signals_.async_wait([this](beast::error_code ec, int) {
        if (!ec) {
            begin_stop();
        }
    });
    listener_->run();
    threads_.run();
}

void HttpServer::stop() {
    asio::post(threads_.first(), [this] { begin_stop(); });
}

void HttpServer::begin_stop() {
    if (stopping_.exchange(true)) {
        return;
    }
    beast::error_code ignored;
    signals_.cancel(ignored);
    listener_->stop();
    // If connections linger past the grace period (a client that never reads), stop anyway.
    deadline_.expires_after(grace_);
    deadline_.async_wait([this](beast::error_code ec) {
        if (!ec) {
            threads_.stop();
        }
    });
    registry_.drain([this] {
        threads_.release();
        asio::post(threads_.first(), [this] { deadline_.cancel(); });
    });
}

}  // namespace rekmock::net
