#include "tls_session.hpp"

#include <mbedtls/error.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <algorithm>
#include <array>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/system/system_error.hpp>
#include <cstdint>
#include <cstring>
#include <vector>

namespace rekmock::objects {
namespace {

// How much ciphertext one read from the socket may bring: a whole TLS record and its header.
constexpr std::size_t kInputChunk = 16 * 1024 + 512;

// Boost 1.74's error_category has a public non-virtual destructor; categories live as statics
// and are never deleted through it.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class TlsCategory final : public boost::system::error_category {
  public:
    const char* name() const noexcept override { return "tls"; }
    std::string message(int code) const override {
        switch (code) {
            case static_cast<int>(TlsError::stream_truncated):
                return "stream truncated (the connection closed without TLS's close_notify)";
            case static_cast<int>(TlsError::certificate_verify_failed):
                return "certificate verify failed";
            default: {
                std::array<char, 160> text{};
                mbedtls_strerror(code, text.data(), text.size());
                return text.data();
            }
        }
    }
};
#pragma GCC diagnostic pop

// mbedTLS 2.28 matches a host name against a certificate's DNS names only; an endpoint given by
// IP address is matched here against its IP address names (RFC 6125 6.2: never the CN).
int verify_ip_address(void* expected, mbedtls_x509_crt* certificate, int depth,
                      std::uint32_t* flags) {
    if (depth != 0) {
        return 0;
    }
    const auto& address = *static_cast<const std::vector<unsigned char>*>(expected);
    constexpr unsigned char kIpAddressTag = MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7;
    for (const mbedtls_x509_sequence* name = &certificate->subject_alt_names;
         name != nullptr && name->buf.p != nullptr; name = name->next) {
        if (name->buf.tag == kIpAddressTag && name->buf.len == address.size() &&
            std::equal(address.begin(), address.end(), name->buf.p)) {
            return 0;
        }
    }
    *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    return 0;
}

}  // namespace

const boost::system::error_category& tls_category() noexcept {
    static const TlsCategory category;
    return category;
}

boost::system::error_code make_error_code(TlsError error) noexcept {
    return {static_cast<int>(error), tls_category()};
}

struct TlsSession::State {
    mbedtls_ssl_context ssl;
    std::vector<unsigned char> ip_address;  // the endpoint's, when given by address

    State() { mbedtls_ssl_init(&ssl); }
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    ~State() { mbedtls_ssl_free(&ssl); }
};

TlsSession::TlsSession(const TlsClientConfig& config, const std::string& host)
    : state_(std::make_unique<State>()) {
    const auto fail = [](int result) {
        throw boost::system::system_error(boost::system::error_code(result, tls_category()));
    };
    if (const int result = mbedtls_ssl_setup(&state_->ssl, config.native()); result != 0) {
        fail(result);
    }
    boost::system::error_code not_an_address;
    const auto address = boost::asio::ip::make_address(host, not_an_address);
    if (not_an_address) {
        // SNI and the name the certificate must carry.
        if (const int result = mbedtls_ssl_set_hostname(&state_->ssl, host.c_str()); result != 0) {
            fail(result);
        }
    } else {
        // No SNI for an address (RFC 6066 3).
        if (address.is_v4()) {
            const auto bytes = address.to_v4().to_bytes();
            state_->ip_address.assign(bytes.begin(), bytes.end());
        } else {
            const auto bytes = address.to_v6().to_bytes();
            state_->ip_address.assign(bytes.begin(), bytes.end());
        }
        mbedtls_ssl_set_verify(&state_->ssl, verify_ip_address, &state_->ip_address);
    }
    mbedtls_ssl_set_bio(&state_->ssl, this, send_callback, receive_callback, nullptr);
}

TlsSession::~TlsSession() = default;

int TlsSession::send_callback(void* self, const unsigned char* data, std::size_t size) {
    auto& output = static_cast<TlsSession*>(self)->output_;
    std::memcpy(output.prepare(size).data(), data, size);
    output.commit(size);
    return static_cast<int>(size);
}

int TlsSession::receive_callback(void* self, unsigned char* data, std::size_t size) {
    auto& session = *static_cast<TlsSession*>(self);
    if (session.input_.size() == 0) {
        return session.eof_ ? 0 : MBEDTLS_ERR_SSL_WANT_READ;
    }
    const std::size_t taken = std::min(size, session.input_.size());
    std::memcpy(data, session.input_.data().data(), taken);
    session.input_.consume(taken);
    return static_cast<int>(taken);
}

TlsSession::Step TlsSession::finish(int result) {
    if (result >= 0) {
        return {false, static_cast<std::size_t>(result), {}};
    }
    switch (result) {
        case MBEDTLS_ERR_SSL_WANT_READ:
        case MBEDTLS_ERR_SSL_WANT_WRITE:
            return {true, 0, {}};
        case MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY:
            return {false, 0, boost::asio::error::eof};
        case MBEDTLS_ERR_SSL_CONN_EOF:
            return {false, 0, make_error_code(TlsError::stream_truncated)};
        case MBEDTLS_ERR_X509_CERT_VERIFY_FAILED:
            return {false, 0, make_error_code(TlsError::certificate_verify_failed)};
        default:
            return {false, 0, {result, tls_category()}};
    }
}

TlsSession::Step TlsSession::handshake() {
    return finish(mbedtls_ssl_handshake(&state_->ssl));
}

TlsSession::Step TlsSession::read(boost::asio::mutable_buffer out) {
    return finish(
        mbedtls_ssl_read(&state_->ssl, static_cast<unsigned char*>(out.data()), out.size()));
}

TlsSession::Step TlsSession::write(boost::asio::const_buffer in) {
    return finish(
        mbedtls_ssl_write(&state_->ssl, static_cast<const unsigned char*>(in.data()), in.size()));
}

boost::asio::mutable_buffer TlsSession::input_space() {
    return input_.prepare(kInputChunk);
}

std::size_t TlsSession::buffered() const noexcept {
    return input_.size() + mbedtls_ssl_get_bytes_avail(&state_->ssl);
}

std::string TlsSession::verify_failure() const {
    std::array<char, 512> text{};
    const int written = mbedtls_x509_crt_verify_info(text.data(), text.size(), "",
                                                     mbedtls_ssl_get_verify_result(&state_->ssl));
    std::string failure(text.data(), written > 0 ? static_cast<std::size_t>(written) : 0);
    // One line per reason: join them.
    std::replace(failure.begin(), failure.end(), '\n', ';');
    while (!failure.empty() && (failure.back() == ';' || failure.back() == ' ')) {
        failure.pop_back();
    }
    return failure;
}

}  // namespace rekmock::objects
