#include "tls_client_config.hpp"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <sys/stat.h>

#include <array>
#include <cstdlib>
#include <stdexcept>

namespace rekmock::objects {

struct TlsClientConfig::State {
    mbedtls_x509_crt authorities;
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context random;
    mbedtls_ssl_config config;

    State() {
        mbedtls_x509_crt_init(&authorities);
        mbedtls_entropy_init(&entropy);
        mbedtls_ctr_drbg_init(&random);
        mbedtls_ssl_config_init(&config);
    }
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    ~State() {
        mbedtls_ssl_config_free(&config);
        mbedtls_ctr_drbg_free(&random);
        mbedtls_entropy_free(&entropy);
        mbedtls_x509_crt_free(&authorities);
    }
};

namespace {

std::string describe(int code) {
    std::array<char, 160> text{};
    mbedtls_strerror(code, text.data(), text.size());
    return text.data();
}

bool is_file(const char* path) {
    struct stat status {};
    return ::stat(path, &status) == 0 && S_ISREG(status.st_mode);
}

// Adds the system's CAs to `chain`; false when none is found.
bool load_system_authorities(mbedtls_x509_crt& chain) {
    // A bundle with a certificate mbedTLS cannot parse (a newer algorithm) still counts: the
    // others load, and parse_file answers how many did not.
    const auto loaded = [&](int result) { return result >= 0 && chain.version != 0; };
    if (const char* file = std::getenv("SSL_CERT_FILE");
        file != nullptr && is_file(file) && loaded(mbedtls_x509_crt_parse_file(&chain, file))) {
        return true;
    }
    if (const char* directory = std::getenv("SSL_CERT_DIR");
        directory != nullptr && loaded(mbedtls_x509_crt_parse_path(&chain, directory))) {
        return true;
    }
    for (const char* file : kSystemCaFiles) {
        if (is_file(file) && loaded(mbedtls_x509_crt_parse_file(&chain, file))) {
            return true;
        }
    }
    return loaded(mbedtls_x509_crt_parse_path(&chain, "/etc/ssl/certs"));
}

}  // namespace

TlsClientConfig::TlsClientConfig(const std::optional<std::string>& ca_file)
    : state_(std::make_unique<State>()) {
    if (ca_file) {
        const int result = mbedtls_x509_crt_parse_file(&state_->authorities, ca_file->c_str());
        if (result != 0) {
            throw std::invalid_argument(result > 0 ? std::to_string(result) +
                                                         " certificates in it do not parse"
                                                   : describe(result));
        }
    } else if (!load_system_authorities(state_->authorities)) {
        throw std::invalid_argument(
            "no system CA certificates were found (SSL_CERT_FILE, SSL_CERT_DIR, "
            "/etc/ssl/certs/ca-certificates.crt and the other usual places); give --s3-ca-file");
    }
    static constexpr unsigned char kPersonalization[] = "rekognition-mock S3 client";
    if (const int result =
            mbedtls_ctr_drbg_seed(&state_->random, mbedtls_entropy_func, &state_->entropy,
                                  kPersonalization, sizeof kPersonalization);
        result != 0) {
        throw std::invalid_argument("cannot seed the TLS random generator: " + describe(result));
    }
    if (const int result =
            mbedtls_ssl_config_defaults(&state_->config, MBEDTLS_SSL_IS_CLIENT,
                                        MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
        result != 0) {
        throw std::invalid_argument("cannot configure TLS: " + describe(result));
    }
    // TLS 1.2 at least: what S3 and every S3-compatible server speaks (AWS refuses older ones).
    mbedtls_ssl_conf_min_version(&state_->config, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_authmode(&state_->config, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&state_->config, &state_->authorities, nullptr);
    mbedtls_ssl_conf_rng(&state_->config, mbedtls_ctr_drbg_random, &state_->random);
}

TlsClientConfig::~TlsClientConfig() = default;

const mbedtls_ssl_config* TlsClientConfig::native() const noexcept {
    return &state_->config;
}

}  // namespace rekmock::objects
