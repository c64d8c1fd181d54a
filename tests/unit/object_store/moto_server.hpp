#pragma once

// A real S3 server for the S3 store's tests: moto_server as a child process on a free loopback
// port. A missing moto_server is a failure with the reason, never a skipped test.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace rekmock::testing {

class MotoServer {
  public:
    struct Options {
        // PEM certificate and key: serve https.
        std::optional<std::pair<std::string, std::string>> tls;
        // "NAME=value" added to its environment (INITIAL_NO_AUTH_ACTION_COUNT: check SigV4).
        std::vector<std::string> environment;
        std::string log_file;  // its output, for the failure message
    };

    // Starts moto_server and waits until it accepts connections; throws std::runtime_error with
    // its output when it is missing or does not start within 30 s.
    explicit MotoServer(Options options);
    MotoServer(const MotoServer&) = delete;
    MotoServer& operator=(const MotoServer&) = delete;
    // Stops it; it also gets SIGTERM if this process dies first.
    ~MotoServer();

    unsigned short port() const noexcept { return port_; }

  private:
    // Runs moto_server on port_ until it accepts connections; false (and its output) if it
    // exits or stays silent for 30 s.
    bool start(Options& options, std::string& output);

    pid_t pid_ = -1;
    unsigned short port_ = 0;
};

// A fresh directory under /tmp, removed with everything in it when destroyed.
class TemporaryDirectory {
  public:
    TemporaryDirectory();
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
    ~TemporaryDirectory();
    const std::string& path() const noexcept { return path_; }

  private:
    std::string path_;
};

// Runs `command` with sh; its standard output. Throws std::runtime_error when it fails.
std::string run_command(const std::string& command);

}  // namespace rekmock::testing
