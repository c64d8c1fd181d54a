#pragma once

// An HTTP/1.1 server on loopback whose answers are scripted byte for byte, for what no real S3
// server does and the S3 client must survive: interim 1xx answers, bodies longer or shorter than
// they declare, an answer trickled a byte at a time. It keeps connections alive, each served by
// a thread of its own, its requests in turn.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace rekmock::testing {

struct ScriptedRequest {
    std::string method;  // "GET"
    std::string target;  // as it came on the request line: "/bucket/key?versionId=1"
    std::string body;
    int connection = 0;  // 1 for the first connection accepted, 2 for the next, ...
    // Each header field's value by its lower-case name (the last one of a repeated name).
    std::map<std::string, std::string> headers = {};
};

struct ScriptedAnswer {
    std::string bytes;  // written as they are: status lines, header fields and bodies
    // Written a byte at a time this far apart (a server trickling its answer); 0: all at once.
    std::chrono::milliseconds pace{0};
    bool close = false;  // close the connection once written
};

// The bytes of an answer of `status` carrying `body`, its Content-Length true, and
// `fields` ("Name: value\r\n" lines) among its header fields.
std::string http_answer(unsigned status, std::string_view body, std::string_view fields = "");

class ScriptedHttpServer {
  public:
    using Script = std::function<ScriptedAnswer(const ScriptedRequest&)>;

    // Listens on a free loopback port and answers each request with `script`'s answer.
    explicit ScriptedHttpServer(Script script);
    ScriptedHttpServer(const ScriptedHttpServer&) = delete;
    ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;
    // Closes the connection being served and stops.
    ~ScriptedHttpServer();

    // "http://127.0.0.1:PORT"
    std::string endpoint() const;
    // Every request received so far, in order.
    std::vector<ScriptedRequest> requests() const;
    int connections() const { return connections_; }

  private:
    void accept();
    // Answers the requests of the `number`th connection until it closes.
    void serve(boost::asio::ip::tcp::socket socket, int number);
    // Writes `answer` to `socket`; false when the client went away (or the server is stopping).
    bool write_answer(boost::asio::ip::tcp::socket& socket, const ScriptedAnswer& answer);

    Script script_;
    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::atomic<bool> stopping_ = false;
    std::atomic<int> connections_ = 0;
    mutable std::mutex mutex_;
    std::vector<ScriptedRequest> requests_;
    std::set<int> active_;  // the descriptors of the connections being served, for the destructor
    std::vector<std::thread> servers_;  // one a connection; only the acceptor's thread adds
    std::thread acceptor_thread_;
};

}  // namespace rekmock::testing
