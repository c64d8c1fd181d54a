// s3_test_servers start|stop DIR: the CTest fixture that runs the S3 store tests' servers once
// for a whole CTest run. `start` leaves a keeper process holding both moto servers and returns
// once DIR/servers.txt names them; `stop` ends the keeper, whose servers end with it. A keeper
// nobody stops (an interrupted run) stops itself after 30 minutes.

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <thread>

#include "s3_test_servers.hpp"

namespace {

using rekmock::testing::read_keeper_pid;

constexpr auto kKeeperLifetime = std::chrono::minutes(30);

// In the keeper: starts the servers, names them in `file`, says "ready" (or why not) on
// `report`, then waits for SIGTERM.
[[noreturn]] void keep(const std::string& directory, int report) {
    ::setsid();
    // Not CTest's output pipe: CTest would wait for the keeper to close it.
    const int log = ::open((directory + "/keeper.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigprocmask(SIG_BLOCK, &stop, nullptr);
    int status = 0;
    try {
        const auto signing = rekmock::testing::start_signing_server(directory);
        const auto tls = rekmock::testing::start_tls_server(directory);
        rekmock::testing::write_servers_file(directory + "/servers.txt", signing, tls, ::getpid());
        [[maybe_unused]] const auto written = ::write(report, "ready", 5);
        ::close(report);
        const timespec lifetime{
            std::chrono::duration_cast<std::chrono::seconds>(kKeeperLifetime).count(), 0};
        sigtimedwait(&stop, nullptr, &lifetime);
    } catch (const std::exception& e) {
        [[maybe_unused]] const auto written = ::write(report, e.what(), std::strlen(e.what()));
        status = 1;
    }
    std::exit(status);  // destructors stop the servers
}

int start(const std::string& directory) {
    ::unlink((directory + "/servers.txt").c_str());
    int pipe[2];
    if (::pipe2(pipe, O_CLOEXEC) != 0) {
        std::cerr << "pipe: " << std::strerror(errno) << "\n";
        return 1;
    }
    const pid_t keeper = ::fork();
    if (keeper == 0) {
        ::close(pipe[0]);
        keep(directory, pipe[1]);
    }
    ::close(pipe[1]);
    std::string report;
    char chunk[4096];
    for (ssize_t n = ::read(pipe[0], chunk, sizeof chunk); n > 0;
         n = ::read(pipe[0], chunk, sizeof chunk)) {
        report.append(chunk, static_cast<std::size_t>(n));
    }
    if (report != "ready") {
        std::cerr << "the S3 test servers did not start: " << report << "\n";
        return 1;
    }
    std::cout << "S3 test servers: " << directory << "/servers.txt\n";
    return 0;
}

int stop(const std::string& directory) {
    const auto keeper = static_cast<pid_t>(read_keeper_pid(directory + "/servers.txt"));
    ::kill(keeper, SIGTERM);
    // Not our child any more: poll until it is gone.
    for (int i = 0; i < 500 && ::kill(keeper, 0) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::unlink((directory + "/servers.txt").c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string command = argc == 3 ? argv[1] : "";
    try {
        if (command == "start") {
            return start(argv[2]);
        }
        if (command == "stop") {
            return stop(argv[2]);
        }
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    std::cerr << "usage: s3_test_servers start|stop DIR\n";
    return 2;
}
