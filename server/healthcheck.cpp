#include "healthcheck.hpp"

#include <chrono>
#include <memory>

#include "front_door.hpp"
#include "net.hpp"

namespace rekmock {

bool probe_health(const std::string& host, unsigned short port) {
    using namespace rekmock::net;
    try {
        auto address = asio::ip::make_address(host);
        if (address.is_unspecified()) {
            address = address.is_v6() ? asio::ip::address(asio::ip::address_v6::loopback())
                                      : asio::ip::address(asio::ip::address_v4::loopback());
        }
        asio::io_context ioc;
        beast::tcp_stream stream(ioc);
        http::request<http::string_body> request{http::verb::get, kPingPath, 11};
        request.set(http::field::host, host);
        request.prepare_payload();
        beast::flat_buffer buffer;
        http::response<http::string_body> response;
        bool healthy = false;

        // Asynchronous steps, because only they honour the stream's deadline.
        stream.expires_after(std::chrono::seconds(2));
        stream.async_connect(tcp::endpoint(address, port), [&](beast::error_code ec) {
            if (ec) {
                return;
            }
            http::async_write(stream, request, [&](beast::error_code write_ec, std::size_t) {
                if (write_ec) {
                    return;
                }
                http::async_read(stream, buffer, response,
                                 [&](beast::error_code read_ec, std::size_t) {
                                     healthy = !read_ec && response.result() == http::status::ok;
                                 });
            });
        });
        ioc.run();
        return healthy;
    } catch (const std::exception&) {
        return false;
    }
}

}  // namespace rekmock
