#include "s3_connection_pool.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/system/system_error.hpp>
#include <stdexcept>

#include "tls_session.hpp"

namespace rekmock::objects {

bool closed_while_idle(const boost::system::error_code& error) {
    namespace asio_error = boost::asio::error;
    return error == boost::beast::http::error::end_of_stream || error == asio_error::eof ||
           error == asio_error::connection_reset || error == asio_error::broken_pipe ||
           error == TlsError::stream_truncated;
}

S3ConnectionPool::S3ConnectionPool(EndpointUrl endpoint, const std::optional<std::string>& ca_file,
                                   S3Timeouts timeouts, std::size_t max_idle)
    : endpoint_(std::move(endpoint)), timeouts_(timeouts), max_idle_(max_idle) {
    if (!endpoint_.tls) {
        return;
    }
    try {
        tls_ = std::make_unique<const TlsClientConfig>(ca_file);
    } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("cannot load the CA certificates for " + endpoint_.text +
                                    (ca_file ? " from " + *ca_file : std::string()) + ": " +
                                    e.what());
    }
}

S3ConnectionPool::Lease S3ConnectionPool::acquire(S3Connection::Clock::duration budget) {
    {
        const std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            Lease lease{std::move(idle_.back()), true};
            idle_.pop_back();
            lease.connection->start_request(budget);
            return lease;
        }
    }
    // Outside the lock: connecting takes a round trip, other threads need not wait for it.
    return {std::make_unique<S3Connection>(endpoint_, tls_.get(), timeouts_, budget), false};
}

void S3ConnectionPool::release(std::unique_ptr<S3Connection> connection) noexcept {
    if (!connection || !connection->reusable()) {
        return;
    }
    const std::lock_guard lock(mutex_);
    if (idle_.size() < max_idle_) {
        idle_.push_back(std::move(connection));
    }
}

}  // namespace rekmock::objects
