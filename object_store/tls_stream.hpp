#pragma once

// A TLS client stream over a beast::tcp_stream, for Beast's HTTP reads and writes: a
// TlsSession whose ciphertext each operation moves through the TCP stream, so the TCP stream's
// timeouts bound every step. One operation at a time, as Beast's HTTP operations use a stream.

#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstddef>
#include <string>
#include <utility>

#include "tls_session.hpp"

namespace rekmock::objects {

class TlsStream {
  public:
    using executor_type = boost::beast::tcp_stream::executor_type;

    // An unconnected stream for a server named `host` (see TlsSession), configured by `config`,
    // which must outlive it.
    TlsStream(boost::asio::io_context& io, const TlsClientConfig& config, const std::string& host)
        : next_(io), session_(config, host) {}

    executor_type get_executor() noexcept { return next_.get_executor(); }
    boost::beast::tcp_stream& next_layer() noexcept { return next_; }
    const boost::beast::tcp_stream& next_layer() const noexcept { return next_; }
    // Bytes received and not read yet.
    std::size_t buffered() const noexcept { return session_.buffered(); }
    // Why the server's certificate was refused, after TlsError::certificate_verify_failed.
    std::string verify_failure() const { return session_.verify_failure(); }

    // Runs the client handshake; handler(error_code, std::size_t).
    template <typename Handler>
    auto async_handshake(Handler&& handler) {
        return run([](TlsSession& session) { return session.handshake(); },
                   std::forward<Handler>(handler));
    }

    template <typename MutableBuffers, typename Handler>
    auto async_read_some(const MutableBuffers& buffers, Handler&& handler) {
        const boost::asio::mutable_buffer out = first_of(buffers);
        return run([out](TlsSession& session) { return session.read(out); },
                   std::forward<Handler>(handler));
    }

    template <typename ConstBuffers, typename Handler>
    auto async_write_some(const ConstBuffers& buffers, Handler&& handler) {
        const boost::asio::const_buffer in = first_of(buffers);
        return run([in](TlsSession& session) { return session.write(in); },
                   std::forward<Handler>(handler));
    }

  private:
    // The first non-empty buffer of a sequence (a TLS record carries one buffer's bytes anyway).
    template <typename Buffers>
    static auto first_of(const Buffers& buffers) {
        using Buffer = std::decay_t<decltype(*boost::asio::buffer_sequence_begin(buffers))>;
        for (auto it = boost::asio::buffer_sequence_begin(buffers);
             it != boost::asio::buffer_sequence_end(buffers); ++it) {
            if (Buffer(*it).size() > 0) {
                return Buffer(*it);
            }
        }
        return Buffer();
    }

    // Runs `step` until it is done: ciphertext it produced is sent first, input it needs is read.
    template <typename Step>
    struct Operation {
        TlsStream& stream;
        Step step;
        enum class State { starting, sending, receiving, finished } state = State::starting;
        TlsSession::Step result{};

        template <typename Self>
        void operator()(Self& self, boost::system::error_code error = {}, std::size_t bytes = 0) {
            TlsSession& session = stream.session_;
            switch (state) {
                case State::finished:
                    return self.complete(result.error, result.bytes);
                case State::sending:
                    if (error) {
                        return self.complete(error, 0);
                    }
                    session.sent(bytes);
                    if (!result.needs_input) {
                        return self.complete(result.error, result.bytes);
                    }
                    break;
                case State::receiving:
                    if (error == boost::asio::error::eof) {
                        session.received_eof();
                    } else if (error) {
                        return self.complete(error, 0);
                    } else {
                        session.received(bytes);
                    }
                    break;
                case State::starting:
                    break;
            }
            const bool first = state == State::starting;
            result = step(session);
            if (session.output().size() > 0) {
                state = State::sending;
                return boost::asio::async_write(stream.next_, session.output(), std::move(self));
            }
            if (!result.needs_input) {
                // Never complete inside the initiating call: post, as Asio's own streams do.
                state = State::finished;
                if (first) {
                    return boost::asio::post(stream.next_.get_executor(), std::move(self));
                }
                return self.complete(result.error, result.bytes);
            }
            state = State::receiving;
            stream.next_.async_read_some(session.input_space(), std::move(self));
        }
    };

    template <typename Step, typename Handler>
    auto run(Step step, Handler&& handler) {
        return boost::asio::async_compose<Handler, void(boost::system::error_code, std::size_t)>(
            Operation<Step>{*this, std::move(step)}, handler, next_);
    }

    boost::beast::tcp_stream next_;
    TlsSession session_;
};

}  // namespace rekmock::objects
