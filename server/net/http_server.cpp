#include "http_server.hpp"

#include <thread>
#include <vector>

namespace rekmock::net {

HttpServer::HttpServer(const std::string& host, unsigned short port, RequestHandler& handler,
                       const ConnectionLimits& limits, AcceptErrorHandler on_accept_error)
    : signals_(ioc_, SIGINT, SIGTERM), deadline_(ioc_) {
    const tcp::endpoint endpoint(asio::ip::make_address(host), port);
    listener_ = std::make_shared<Listener>(ioc_, endpoint, handler, registry_, limits,
                                           std::move(on_accept_error));
}

HttpServer::~HttpServer() = default;

tcp::endpoint HttpServer::local_endpoint() const {
    return listener_->local_endpoint();
}

void HttpServer::run(unsigned threads, std::chrono::milliseconds grace) {
    grace_ = grace;
    signals_.async_wait([this](beast::error_code ec, int) {
        if (!ec) {
            begin_stop();
        }
    });
    listener_->run();

    std::vector<std::thread> workers;
    for (unsigned i = 1; i < threads; ++i) {
        workers.emplace_back([this] { ioc_.run(); });
    }
    ioc_.run();
    for (auto& worker : workers) {
        worker.join();
    }
}

void HttpServer::stop() {
    asio::post(ioc_, [this] { begin_stop(); });
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
            ioc_.stop();
        }
    });
    registry_.drain([this] { asio::post(ioc_, [this] { deadline_.cancel(); }); });
}

}  // namespace rekmock::net
