#include "healthcheck.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string_view>

#include "file_descriptor.hpp"
#include "liveness_probe.hpp"

namespace rekmock {
namespace {

using Clock = std::chrono::steady_clock;

// Plain POSIX sockets rather than Beast: a probe sends one request and reads one status line,
// and Asio's templates for a second stream type cost the static binary 300 KB.

// Waits until `fd` is ready for `events` or `deadline` passes; false on timeout or error.
bool wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            return false;
        }
        pollfd entry{fd, events, 0};
        const int ready = ::poll(&entry, 1, static_cast<int>(left.count()));
        if (ready > 0) {
            return (entry.revents & events) != 0;
        }
        if (ready < 0 && errno != EINTR) {
            return false;
        }
    }
}

// The loopback address when `host` is a wildcard, else `host` itself, as a socket address.
bool address_of(const std::string& host, unsigned short port, sockaddr_storage& address,
                socklen_t& length) {
    std::memset(&address, 0, sizeof address);
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        if (v4->sin_addr.s_addr == htonl(INADDR_ANY)) {
            v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        }
        length = sizeof *v4;
        return true;
    }
    if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        if (IN6_IS_ADDR_UNSPECIFIED(&v6->sin6_addr)) {
            v6->sin6_addr = in6addr_loopback;
        }
        length = sizeof *v6;
        return true;
    }
    return false;
}

}  // namespace

bool probe_health(const std::string& host, unsigned short port) {
    const auto deadline = Clock::now() + std::chrono::seconds(2);
    sockaddr_storage address{};
    socklen_t length = 0;
    if (!address_of(host, port, address, length)) {
        return false;
    }
    const objects::FileDescriptor socket(
        ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
    const int fd = socket.get();
    if (fd < 0 || ::fcntl(fd, F_SETFL, O_NONBLOCK) != 0) {
        return false;
    }
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), length) != 0) {
        int error = 0;
        socklen_t size = sizeof error;
        if (errno != EINPROGRESS || !wait_for(fd, POLLOUT, deadline) ||
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0 || error != 0) {
            return false;
        }
    }
    const std::string request = "GET " + std::string(kPingPath) + " HTTP/1.1\r\nHost: " + host +
                                "\r\nConnection: close\r\n\r\n";
    for (std::size_t sent = 0; sent < request.size();) {
        if (!wait_for(fd, POLLOUT, deadline)) {
            return false;
        }
        const ssize_t wrote =
            ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (wrote < 0 && errno != EAGAIN && errno != EINTR) {
            return false;
        }
        sent += wrote > 0 ? static_cast<std::size_t>(wrote) : 0;
    }
    // Only the status line matters: "HTTP/1.1 200 " within the first bytes.
    constexpr std::string_view kHealthy = "HTTP/1.1 200 ";
    std::string answer;
    while (answer.size() < kHealthy.size()) {
        if (!wait_for(fd, POLLIN, deadline)) {
            return false;
        }
        char buffer[64];
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
            return false;
        }
        answer.append(buffer, got > 0 ? static_cast<std::size_t>(got) : 0);
    }
    return std::string_view(answer).starts_with(kHealthy);
}

}  // namespace rekmock
