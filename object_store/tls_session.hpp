#pragma once

// One client TLS session as a state machine over two byte queues, with no socket of its own:
// ciphertext from the server goes in (input_space/received), ciphertext for it comes out
// (output/sent), and each step says whether it is done or needs more input. TlsStream moves the
// bytes. Errors are in tls_category(); a closed connection without TLS's close_notify is
// TlsError::stream_truncated, a certificate not trusted for the host certificate_verify_failed.

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <memory>
#include <string>

#include "tls_client_config.hpp"

namespace rekmock::objects {

enum class TlsError { stream_truncated = 1, certificate_verify_failed = 2 };
// The category of TlsError and of mbedTLS's own (negative) error codes.
const boost::system::error_category& tls_category() noexcept;
boost::system::error_code make_error_code(TlsError error) noexcept;

class TlsSession {
  public:
    // A session with a server named `host` (a DNS name, sent as SNI and matched against the
    // certificate's names, or an IP address, matched against its IP addresses), configured by
    // `config`, which must outlive it. Throws boost::system::system_error.
    TlsSession(const TlsClientConfig& config, const std::string& host);
    TlsSession(const TlsSession&) = delete;
    TlsSession& operator=(const TlsSession&) = delete;
    ~TlsSession();

    struct Step {
        bool needs_input = false;  // the step can go on once more input is received
        std::size_t bytes = 0;     // plaintext read or written
        boost::system::error_code error;
    };
    Step handshake();
    // Decrypts up to `out.size()` bytes of plaintext into `out`; asio::error::eof after the
    // server's close_notify.
    Step read(boost::asio::mutable_buffer out);
    Step write(boost::asio::const_buffer in);

    // Ciphertext to send before anything else; sent(n) drops what was sent.
    boost::asio::const_buffer output() const noexcept { return output_.data(); }
    void sent(std::size_t bytes) noexcept { output_.consume(bytes); }
    // Room for ciphertext from the server; received(n) keeps what landed, received_eof() says
    // the connection closed.
    boost::asio::mutable_buffer input_space();
    void received(std::size_t bytes) noexcept { input_.commit(bytes); }
    void received_eof() noexcept { eof_ = true; }
    // Bytes received and not read yet, as ciphertext or decrypted plaintext.
    std::size_t buffered() const noexcept;
    // Why the server's certificate was refused (after certificate_verify_failed).
    std::string verify_failure() const;

  private:
    struct State;
    Step finish(int result);
    static int send_callback(void* self, const unsigned char* data, std::size_t size);
    static int receive_callback(void* self, unsigned char* data, std::size_t size);

    std::unique_ptr<State> state_;
    boost::beast::flat_buffer input_;
    boost::beast::flat_buffer output_;
    bool eof_ = false;
};

}  // namespace rekmock::objects

namespace boost::system {
template <>
struct is_error_code_enum<rekmock::objects::TlsError> : std::true_type {};
}  // namespace boost::system
