#pragma once

// The open connections to one S3 endpoint, shared by every thread using the store: a request
// takes an idle one or opens one, and gives it back when its response is complete.

#include <boost/system/error_code.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "endpoint_url.hpp"
#include "s3_connection.hpp"
#include "tls_client_config.hpp"

namespace rekmock::objects {

// Whether `error`, met on a connection the pool had kept idle, says the server closed it meanwhile
// (rather than refused or timed out): the request goes again on a new connection, and that is
// not an attempt of its own.
bool closed_while_idle(const boost::system::error_code& error);

class S3ConnectionPool {
  public:
    // Trusts the CAs of `ca_file` for an https endpoint, else the system's (TlsClientConfig).
    // Throws std::invalid_argument when the CA file cannot be loaded.
    S3ConnectionPool(EndpointUrl endpoint, const std::optional<std::string>& ca_file,
                     S3Timeouts timeouts, std::size_t max_idle);

    struct Lease {
        std::unique_ptr<S3Connection> connection;
        bool reused = false;  // it served an earlier request (the server may have closed it since)
    };
    // An idle connection, else a new one, for a request of time budget `budget` (see
    // S3Connection::start_request()). Throws boost::system::system_error when connecting fails.
    Lease acquire(S3Connection::Clock::duration budget);
    // Keeps `connection` for another request if it is reusable and fewer than max_idle are kept;
    // closes it otherwise.
    void release(std::unique_ptr<S3Connection> connection) noexcept;

    const EndpointUrl& endpoint() const noexcept { return endpoint_; }

  private:
    EndpointUrl endpoint_;
    std::unique_ptr<const TlsClientConfig> tls_;
    S3Timeouts timeouts_;
    std::size_t max_idle_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<S3Connection>> idle_;
};

}  // namespace rekmock::objects
