#include "scripted_http_server.hpp"

#include <sys/socket.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>
#include <cstdint>

namespace rekmock::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

std::string http_answer(unsigned status, std::string_view body, std::string_view fields) {
    const std::string_view reason = http::obsolete_reason(http::int_to_status(status));
    return "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + std::string(fields) +
           "\r\n" + std::string(body);
}

ScriptedHttpServer::ScriptedHttpServer(Script script)
    : script_(std::move(script)), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    acceptor_thread_ = std::thread([this] { accept(); });
}

ScriptedHttpServer::~ScriptedHttpServer() {
    stopping_ = true;
    tcp::socket wake(io_);
    boost::system::error_code ignored;
    wake.connect(acceptor_.local_endpoint(), ignored);
    acceptor_thread_.join();
    {
        // A blocking read cannot be cancelled from another thread, but shutting its socket down
        // ends it.
        const std::lock_guard lock(mutex_);
        for (const int active : active_) {
            ::shutdown(active, SHUT_RDWR);
        }
    }
    for (auto& server : servers_) {
        server.join();
    }
}

std::string ScriptedHttpServer::endpoint() const {
    return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
}

std::vector<ScriptedRequest> ScriptedHttpServer::requests() const {
    const std::lock_guard lock(mutex_);
    return requests_;
}

bool ScriptedHttpServer::write_answer(tcp::socket& socket, const ScriptedAnswer& answer) {
    boost::system::error_code ec;
    if (answer.pace.count() == 0) {
        asio::write(socket, asio::buffer(answer.bytes), ec);
        return !ec;
    }
    for (const char byte : answer.bytes) {
        if (stopping_) {
            return false;
        }
        asio::write(socket, asio::buffer(&byte, 1), ec);
        if (ec) {
            return false;
        }
        std::this_thread::sleep_for(answer.pace);
    }
    return true;
}

void ScriptedHttpServer::accept() {
    for (;;) {
        tcp::socket socket(io_);
        boost::system::error_code ec;
        acceptor_.accept(socket, ec);
        if (stopping_) {
            return;
        }
        if (!ec) {
            const std::lock_guard lock(mutex_);
            active_.insert(socket.native_handle());
            servers_.emplace_back(
                [this, number = ++connections_](tcp::socket s) { serve(std::move(s), number); },
                std::move(socket));
        }
    }
}

void ScriptedHttpServer::serve(tcp::socket socket, int number) {
    boost::beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(std::uint64_t{1} << 30);
        boost::system::error_code ec;
        http::read(socket, buffer, parser, ec);
        if (ec || stopping_) {
            break;
        }
        const auto& message = parser.get();
        ScriptedRequest request{std::string(message.method_string()), std::string(message.target()),
                                message.body(), number};
        for (const auto& field : message) {
            std::string name(field.name_string());
            for (char& c : name) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            request.headers[name] = std::string(field.value());
        }
        {
            const std::lock_guard lock(mutex_);
            requests_.push_back(request);
        }
        const ScriptedAnswer answer = script_(request);
        if (!write_answer(socket, answer) || answer.close) {
            break;
        }
    }
    const std::lock_guard lock(mutex_);
    active_.erase(socket.native_handle());
    boost::system::error_code ignored;
    socket.close(ignored);
}

}  // namespace rekmock::testing
