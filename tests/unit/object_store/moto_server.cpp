#include "moto_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace rekmock::testing {
namespace {

sockaddr_in loopback(unsigned short port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// A port the kernel just gave out and took back: free unless another process races for it.
unsigned short free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = loopback(0);
    socklen_t size = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
        throw std::runtime_error(std::string("no free loopback port: ") + std::strerror(errno));
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

bool accepts(unsigned short port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address = loopback(port);
    const bool connected =
        fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

MotoServer::MotoServer(Options options) {
    // Another process may take the free port before moto_server binds it: then try another.
    std::string output;
    for (int attempt = 0; attempt < 3; ++attempt) {
        port_ = free_port();
        if (start(options, output)) {
            return;
        }
        if (output.find("Address already in use") == std::string::npos) {
            break;
        }
    }
    throw std::runtime_error(
        "moto_server did not start (install it with: pip install 'moto[server]'); its output:\n" +
        output);
}

bool MotoServer::start(Options& options, std::string& output) {
    std::vector<std::string> arguments = {"moto_server", "-H", "127.0.0.1", "-p",
                                          std::to_string(port_)};
    if (options.tls) {
        arguments.insert(arguments.end(), {"-c", options.tls->first, "-k", options.tls->second});
    }
    std::vector<char*> argv;
    for (std::string& argument : arguments) {
        argv.push_back(argument.data());
    }
    argv.push_back(nullptr);

    // fork, not posix_spawn: the child must ask for SIGTERM when the test process dies, so that
    // a crashed test leaves no server behind. The test is single-threaded here.
    pid_ = ::fork();
    if (pid_ < 0) {
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid_ == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        const int log = ::open(options.log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(log, STDOUT_FILENO);
        ::dup2(log, STDERR_FILENO);
        for (std::string& variable : options.environment) {
            ::putenv(variable.data());
        }
        ::execvp(argv[0], argv.data());
        std::fprintf(stderr, "cannot run moto_server: %s\n", std::strerror(errno));
        ::_exit(127);
    }

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!accepts(port_)) {
        int status = 0;
        const bool exited = ::waitpid(pid_, &status, WNOHANG) == pid_;
        if (exited || std::chrono::steady_clock::now() > deadline) {
            if (!exited) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &status, 0);
            }
            pid_ = -1;
            output = read_file(options.log_file);
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return true;
}

MotoServer::~MotoServer() {
    if (pid_ <= 0) {
        return;
    }
    // SIGKILL: its state is in memory, nothing to save, and it takes 2 s to honour a SIGTERM.
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
}

TemporaryDirectory::TemporaryDirectory() {
    std::string pattern = "/tmp/rekmock-s3-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    }
    path_ = pattern;
}

TemporaryDirectory::~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

std::string run_command(const std::string& command) {
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        throw std::runtime_error("cannot run: " + command);
    }
    std::string output;
    std::array<char, 4096> chunk{};
    for (std::size_t n = std::fread(chunk.data(), 1, chunk.size(), pipe); n > 0;
         n = std::fread(chunk.data(), 1, chunk.size(), pipe)) {
        output.append(chunk.data(), n);
    }
    const int status = ::pclose(pipe);
    if (status != 0) {
        throw std::runtime_error("command failed (status " + std::to_string(status) +
                                 "): " + command + "\n" + output);
    }
    return output;
}

}  // namespace rekmock::testing
