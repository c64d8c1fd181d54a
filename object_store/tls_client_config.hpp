#pragma once

// What every TLS connection to one endpoint shares: the certificates it trusts, a random
// generator and mbedTLS's client configuration (TLS 1.2 or later, the server's certificate
// verified). Read-only once built, so any number of threads' connections may use it at once.

#include <memory>
#include <optional>
#include <string>

struct mbedtls_ssl_config;

namespace rekmock::objects {

// Where a static binary looks for the system's CAs when no file is given, in order (the list
// Go's crypto/x509 reads: Debian and Ubuntu, Fedora and RHEL, openSUSE, Alpine, older RHEL);
// SSL_CERT_FILE and SSL_CERT_DIR come first, as OpenSSL reads them.
inline constexpr const char* kSystemCaFiles[] = {
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/ca-bundle.pem",
    "/etc/pki/tls/cacert.pem",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/cert.pem"};

class TlsClientConfig {
  public:
    // Trusts the certificates of `ca_file` (PEM), else the system's (see kSystemCaFiles).
    // Throws std::invalid_argument when the file cannot be read or no system CA is found.
    explicit TlsClientConfig(const std::optional<std::string>& ca_file);
    TlsClientConfig(const TlsClientConfig&) = delete;
    TlsClientConfig& operator=(const TlsClientConfig&) = delete;
    ~TlsClientConfig();

    // mbedTLS's configuration, for mbedtls_ssl_setup().
    const mbedtls_ssl_config* native() const noexcept;

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace rekmock::objects
