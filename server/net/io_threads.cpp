#include "io_threads.hpp"

#include <thread>

namespace rekmock::net {

IoThreads::IoThreads(unsigned threads) {
    for (unsigned i = 0; i < std::max(threads, 1u); ++i) {
        contexts_.push_back(std::make_unique<asio::io_context>(1));
        // A timer makes the io_context open its epoll, eventfd and timerfd now: left to the first
        // connection, they would be three descriptors short when descriptors run out.
        asio::steady_timer open_reactor(*contexts_.back());
        if (i != 0) {
            guards_.push_back(asio::make_work_guard(*contexts_.back()));
        }
    }
}

asio::any_io_executor IoThreads::next_connection_executor() {
    auto& context = *contexts_[next_++ % contexts_.size()];
    return context.get_executor();
}

void IoThreads::run() {
    std::vector<std::thread> workers;
    for (std::size_t i = 1; i < contexts_.size(); ++i) {
        workers.emplace_back([context = contexts_[i].get()] { context->run(); });
    }
    first().run();
    for (auto& worker : workers) {
        worker.join();
    }
}

void IoThreads::release() {
    asio::post(first(), [this] {
        for (auto& guard : guards_) {
            guard.reset();
        }
    });
}

void IoThreads::stop() {
    for (auto& context : contexts_) {
        context->stop();
    }
}

}  // namespace rekmock::net
