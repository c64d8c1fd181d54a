// The S3 client's TLS against a real TLS server (`openssl s_server -www`, which answers any GET
// with a page about itself): the certificate must be trusted and name the endpoint's host, a DNS
// name among its DNS names, an IP address among its IP addresses; anything else is refused
// before a request is sent. (The https round trips with moto are in s3_object_store_test.)

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "loopback_s3_config.hpp"
#include "moto_server.hpp"
#include "s3_client.hpp"

namespace http = boost::beast::http;
using rekmock::objects::S3Client;
using rekmock::objects::S3Request;
using rekmock::testing::loopback_s3_config;
using rekmock::testing::run_command;
using rekmock::testing::TemporaryDirectory;

namespace {

const S3Request kGet{http::verb::get, "bucket", "key", "", {}, ""};

// Writes a new self-signed certificate for `subject` and `names` (its subjectAltName,
// "DNS:a,IP:127.0.0.1") to `directory`/`stem`.pem and its key to `directory`/`stem`.key.
std::string make_certificate(const std::string& directory, const std::string& stem,
                             const std::string& subject, const std::string& names) {
    const std::string certificate = directory + "/" + stem + ".pem";
    run_command(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
        "-days 2 -subj /CN=" +
        subject + " -addext subjectAltName=" + names + " -keyout " + directory + "/" + stem +
        ".key -out " + certificate + " 2>&1");
    return certificate;
}

// `openssl s_server` serving `connections` connections on a free loopback port with a new
// self-signed certificate for `subject` and `names` (see make_certificate).
class OpensslServer {
  public:
    OpensslServer(const std::string& subject, const std::string& names, int connections = 1) {
        certificate_ = make_certificate(directory_.path(), "server", subject, names);
        // It exits after its connections, or after 30 s if the test never makes them.
        output_ = ::popen(("timeout 30 openssl s_server -accept 127.0.0.1:0 -www -naccept " +
                           std::to_string(connections) + " -cert " + certificate_ + " -key " +
                           directory_.path() + "/server.key 2>&1")
                              .c_str(),
                          "r");
        if (output_ == nullptr) {
            throw std::runtime_error("cannot run openssl s_server");
        }
        std::array<char, 256> line{};
        while (std::fgets(line.data(), line.size(), output_) != nullptr) {
            const std::string text(line.data());
            if (text.rfind("ACCEPT ", 0) == 0) {
                port_ = text.substr(text.rfind(':') + 1,
                                    text.find_last_not_of("\r\n") - text.rfind(':'));
                return;
            }
        }
        throw std::runtime_error("openssl s_server did not start");
    }
    OpensslServer(const OpensslServer&) = delete;
    OpensslServer& operator=(const OpensslServer&) = delete;
    ~OpensslServer() { ::pclose(output_); }

    const std::string& certificate() const noexcept { return certificate_; }
    // "https://HOST:PORT"
    std::string endpoint(const std::string& host) const { return "https://" + host + ":" + port_; }

  private:
    TemporaryDirectory directory_;
    std::string certificate_;
    std::string port_;
    FILE* output_ = nullptr;
};

// What a GET through `host` answers, or the error it fails with.
std::string get_through(const OpensslServer& server, const std::string& host,
                        std::optional<std::string> ca_file) {
    auto config = loopback_s3_config(server.endpoint(host));
    config.ca_file = std::move(ca_file);
    try {
        return S3Client(config).send(kGet, "GetObject").read_all(1 << 20);
    } catch (const std::exception& e) {
        return std::string("error: ") + e.what();
    }
}

}  // namespace

TEST_SUITE("s3_tls") {
    TEST_CASE(
        "a trusted certificate naming the host: the request goes through, by name or address") {
        SUBCASE("by DNS name, sent as SNI") {
            const OpensslServer server("localhost", "DNS:localhost");
            CHECK(get_through(server, "localhost", server.certificate()).find("s_server") !=
                  std::string::npos);
        }
        SUBCASE("by IP address, among the certificate's IP addresses") {
            const OpensslServer server("localhost", "IP:127.0.0.1");
            CHECK(get_through(server, "127.0.0.1", server.certificate()).find("s_server") !=
                  std::string::npos);
        }
    }

    TEST_CASE("a certificate naming another host is refused, whatever its common name says") {
        SUBCASE("an address the certificate has only as its CN") {
            const OpensslServer server("127.0.0.1", "DNS:other.example,IP:127.0.0.2");
            const std::string answer = get_through(server, "127.0.0.1", server.certificate());
            CHECK(answer.find("certificate verify failed") != std::string::npos);
            CHECK(answer.find("CN") != std::string::npos);
        }
        SUBCASE("a name the certificate does not carry") {
            const OpensslServer server("localhost", "DNS:other.example,IP:127.0.0.1");
            const std::string answer = get_through(server, "localhost", server.certificate());
            CHECK(answer.find("certificate verify failed") != std::string::npos);
        }
    }

    TEST_CASE("a certificate no trusted CA signed is refused") {
        const OpensslServer server("localhost", "DNS:localhost", 2);
        const TemporaryDirectory elsewhere;
        // Trusting another self-signed certificate, then the system's CAs.
        for (const auto& ca_file : {std::optional(make_certificate(elsewhere.path(), "other",
                                                                   "localhost", "DNS:localhost")),
                                    std::optional<std::string>()}) {
            const std::string answer = get_through(server, "localhost", ca_file);
            CHECK(answer.find("certificate verify failed") != std::string::npos);
            CHECK(answer.find("not correctly signed by the trusted CA") != std::string::npos);
        }
    }
}
