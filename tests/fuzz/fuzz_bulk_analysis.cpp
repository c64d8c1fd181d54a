// Fuzzes what a bulk analysis job reads from its users' buckets, all of it hostile input:
// - the first byte picks a mode; in "manifest" mode the rest is a manifest, read line by line
//   (with a small line limit, at an input-chosen read size) and each line parsed as an entry:
//   nothing crashes, line numbers count up from 1, no kept line is over the limit or holds a
//   newline, and every entry's image names a bucket and a key; each source-ref is read for
//   name-convention tokens (a script names only taxonomy labels and content types, at 0..100,
//   or an error with a code; its answer lists each label once) and matched against the line as
//   a glob (which must stay linear);
// - in "image" mode the rest is an image object: its header checked whole and then as every
//   prefix a ranged read may deliver: nothing crashes or reads out of bounds, and a header cut
//   short either decides or asks for more. (This found stb_image's Huffman-table overflow,
//   which is why image_header.cpp exists.)
// - in "S3 answer" mode the rest is what an S3 server (a loopback server of this process) sends
//   back to the S3 store's first request, whole, before it closes the connection: interim 1xx
//   answers, statuses, Content-Length and Content-Range apart from the body. The request is a
//   plain S3Client::send, a GetObject of a whole object or one of a prefix. Only
//   ObjectStoreError may escape; a request returns a final status (2xx a success, any other an
//   error), a body read to its end holds its Content-Length, an object read holds the size it
//   declares (or the prefix asked); the next request, on the same client, gets its own answer,
//   never bytes left over from this one.

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/system_error.hpp>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <variant>

#include "glob_pattern.hpp"
#include "image_check.hpp"
#include "manifest_entry.hpp"
#include "manifest_lines.hpp"
#include "moderation_answer.hpp"
#include "name_convention.hpp"
#include "s3_client.hpp"
#include "s3_object_store.hpp"

namespace {

using namespace rekmock;

[[noreturn]] void violated(const char* what) {
    std::fprintf(stderr, "property violated: %s\n", what);
    std::abort();
}

class BytesReader final : public objects::ObjectReader {
  public:
    BytesReader(std::string_view bytes, std::size_t step) : bytes_(bytes), step_(step) {}
    std::uint64_t size() const noexcept override { return bytes_.size(); }
    std::size_t read(char* out, std::size_t capacity) override {
        const std::size_t n = std::min(std::min(capacity, step_), bytes_.size() - at_);
        bytes_.copy(out, n, at_);
        at_ += n;
        return n;
    }

  private:
    std::string_view bytes_;
    std::size_t step_;
    std::size_t at_ = 0;
};

void fuzz_name_convention(std::string_view source_ref) {
    const auto& taxonomy = moderation::ModerationTaxonomy::aws_v7();
    static const moderation::NameConvention convention(taxonomy);
    const auto script = convention.script(source_ref);
    if (!script) {
        return;
    }
    if (script->error) {
        if (script->error->code.empty() || !script->labels.empty()) {
            violated("a scripted error has a code and no labels");
        }
        return;
    }
    for (const auto& label : script->labels) {
        if (taxonomy.find(label.name) == nullptr || !(label.confidence >= 0) ||
            !(label.confidence <= 100)) {
            violated("a scripted label is in the taxonomy, at 0..100");
        }
    }
    for (const auto& type : script->content_types) {
        if (!taxonomy.is_content_type(type.name) || !(type.confidence >= 0) ||
            !(type.confidence <= 100)) {
            violated("a scripted content type is one of AWS's, at 0..100");
        }
    }
    const auto answer = moderation::answer_for(*script, 0, taxonomy);
    for (std::size_t i = 0; i < answer.labels.size(); ++i) {
        for (std::size_t j = i + 1; j < answer.labels.size(); ++j) {
            if (answer.labels[i].label == answer.labels[j].label) {
                violated("an answer lists each label once");
            }
        }
    }
}

void fuzz_manifest(std::string_view text, std::size_t step) {
    constexpr std::size_t kMaxLine = 256;
    BytesReader reader(text, step);
    bulk_analysis::ManifestLines lines(reader, kMaxLine);
    std::uint64_t expected = 1;
    while (const auto line = lines.next()) {
        if (line->number != expected++) {
            violated("line numbers count up from 1");
        }
        if (line->text.size() > kMaxLine || line->text.find('\n') != std::string_view::npos) {
            violated("a kept line is within the limit and holds no newline");
        }
        const auto entry = bulk_analysis::parse_manifest_line(line->text);
        if (const auto* image = std::get_if<bulk_analysis::ManifestEntry>(&entry)) {
            if (image->image.bucket.empty() || image->image.key.empty()) {
                violated("an entry's image names a bucket and a key");
            }
            fuzz_name_convention(image->source_ref);
            (void)moderation::glob_match(line->text, image->source_ref);
        }
    }
}

void fuzz_image(std::string_view bytes) {
    const auto whole = bulk_analysis::check_image_bytes(bytes, bytes.size());
    if (whole.undecided) {
        violated("a whole object always decides");
    }
    for (std::size_t cut = 0; cut < bytes.size(); cut += 1 + cut / 4) {
        (void)bulk_analysis::check_image_bytes(bytes.substr(0, cut), bytes.size());
    }
}

// An HTTP server on loopback for the whole run: the first request of each input gets the
// input's bytes, every later one a plain answer; each connection serves one request and closes,
// so an answer never waits for a timeout.
class AnswerServer {
  public:
    static constexpr std::string_view kLater = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nlater";

    AnswerServer() : thread_([this] { serve(); }) {}

    std::string endpoint() const {
        return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
    }
    // The next request gets `bytes`.
    void answer_next(std::string_view bytes) {
        const std::lock_guard lock(mutex_);
        next_ = std::string(bytes);
    }

  private:
    void serve() {
        for (;;) {
            boost::asio::ip::tcp::socket socket(io_);
            boost::system::error_code ec;
            acceptor_.accept(socket, ec);
            if (ec) {
                continue;
            }
            boost::beast::flat_buffer buffer;
            boost::beast::http::request<boost::beast::http::string_body> request;
            boost::beast::http::read(socket, buffer, request, ec);
            if (ec) {
                continue;
            }
            std::string answer;
            {
                const std::lock_guard lock(mutex_);
                answer = next_ ? std::move(*next_) : std::string(kLater);
                next_.reset();
            }
            boost::asio::write(socket, boost::asio::buffer(answer), ec);
            socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
        }
    }

    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_{io_, {boost::asio::ip::make_address("127.0.0.1"), 0}};
    std::mutex mutex_;
    std::optional<std::string> next_;
    std::thread thread_;
};

std::optional<std::uint64_t> content_length(const objects::S3Response& response) {
    const std::string_view text = response.header("Content-Length");
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// The bytes of `response`'s body to its end; std::nullopt when the connection broke.
std::optional<std::uint64_t> body_size(objects::S3Response& response) {
    std::uint64_t total = 0;
    char chunk[4096];
    try {
        while (const std::size_t got = response.read(chunk, sizeof chunk)) {
            total += got;
        }
    } catch (const boost::system::system_error&) {
        return std::nullopt;
    }
    return total;
}

void fuzz_s3_answer(std::string_view answer, std::uint8_t how) {
    // Never destroyed: its thread serves until the process exits.
    static AnswerServer& server = *new AnswerServer;
    objects::S3Config config;
    config.endpoint = server.endpoint();
    config.access_key_id = "AKIAFUZZ";
    config.secret_access_key = "fuzz-secret";
    config.max_attempts = 1;  // a retry would get the plain answer, and sleep first
    // Every answer ends with its connection; these bound a stuck client all the same.
    config.request_timeout = std::chrono::seconds(2);
    config.deadline = std::chrono::seconds(4);
    const objects::S3Request get{boost::beast::http::verb::get, "bucket", "key", "", {}, ""};
    server.answer_next(answer);
    try {
        if (how % 3 == 0) {
            const objects::S3Client client(config);
            {
                auto response = client.send(get, "GetObject");
                const unsigned status = response.status();
                if (status < 200 || (status < 300) == response.error().has_value()) {
                    violated("a request ends with a final status, only a 2xx a success");
                }
                const auto declared = content_length(response);
                const auto read = body_size(response);
                // A 204 has no body whatever it declares; a chunked body needs no length.
                if (!response.error() && status != 204 &&
                    response.header("Transfer-Encoding").empty() && declared && read &&
                    *read != *declared) {
                    violated("a body read to its end holds its Content-Length");
                }
            }
            auto next = client.send(get, "GetObject");
            if (next.error() || next.read_all(100) != "later") {
                violated("the next request gets its own answer");
            }
        } else {
            objects::S3ObjectStore store(config);
            const std::optional<std::uint64_t> prefix =
                how % 3 == 1 ? std::nullopt : std::optional<std::uint64_t>(16);
            const auto reader = store.open({"bucket", "key", std::nullopt}, prefix);
            const std::string bytes = reader->read_all();
            if (bytes.size() != std::min(reader->size(), prefix.value_or(reader->size()))) {
                violated("an object read holds its declared size, or the prefix asked");
            }
        }
    } catch (const objects::ObjectStoreError&) {
        // A refusal, a failure or a broken answer: what the store may say of hostile bytes.
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) {
        return 0;
    }
    const std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
    // Modes 0 and 2 are manifests and 1 an image, as when there were two: the corpus keeps its
    // meaning.
    switch (data[0] % 4) {
        case 1:
            fuzz_image(rest);
            break;
        case 3:
            fuzz_s3_answer(rest, data[1]);
            break;
        default:
            fuzz_manifest(rest, 1 + data[1] % 64);
            break;
    }
    return 0;
}
