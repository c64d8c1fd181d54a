#pragma once

// The S3 servers the S3 store's tests run against: moto_server over http with its SigV4 checking
// on (the keys of an IAM user it knows), and over https with a self-signed certificate. A CTest
// run starts them once (s3_test_servers start, a CTest fixture) and names them to every test
// process in a servers file; a test process run alone starts its own.

#include <memory>
#include <optional>
#include <string>

#include "moto_server.hpp"

namespace rekmock::testing {

struct S3TestServer {
    std::string endpoint;  // "http://127.0.0.1:PORT"
    unsigned short port = 0;
    std::string access_key_id = "AKIAEXAMPLEKEY";  // any key, where moto checks no signature
    std::string secret_access_key = "example-secret";
    std::optional<std::string> ca_file;   // https: the certificate to trust
    std::shared_ptr<MotoServer> process;  // when this process started it
};

// moto over http checking signatures, with an IAM user's keys; files (log) go to `directory`.
// Throws std::runtime_error when moto_server, python3 or boto3 is missing.
S3TestServer start_signing_server(const std::string& directory);
// moto over https with a certificate for 127.0.0.1 and localhost made in `directory`. Throws
// std::runtime_error when moto_server or openssl is missing.
S3TestServer start_tls_server(const std::string& directory);

// Writes the servers file `path` (atomically) naming both servers and the process keeping them.
void write_servers_file(const std::string& path, const S3TestServer& signing,
                        const S3TestServer& tls, long keeper_pid);
// The server `name` ("signing" or "tls") of the servers file `path`; throws std::runtime_error
// when the file or the server is missing.
S3TestServer read_servers_file(const std::string& path, const std::string& name);
// The keeper process id of the servers file `path`; throws std::runtime_error when missing.
long read_keeper_pid(const std::string& path);

}  // namespace rekmock::testing
