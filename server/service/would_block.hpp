#pragma once

// Keeps the I/O threads from waiting on an object store. A request is first served on its
// connection's I/O thread inside an InlineOnly scope; code that would block there (a job's work
// that is due, a manifest to check, an object to read) throws WouldBlock before it changes
// anything, and the caller serves the request again once the WouldBlock resumes it, on a worker
// thread. Outside an InlineOnly scope (worker threads, tests) nothing is thrown: code blocks.

#include <functional>
#include <memory>
#include <optional>
#include <utility>

namespace rekmock::service {

// Not a std::exception: handlers that map every std::exception to an error answer must let it
// through to the one place that defers the request.
class WouldBlock {
  public:
    using Retry = std::function<void()>;
    // `resume` is called once with the retry and calls it once, on a thread that may block,
    // when serving the request again can make progress.
    explicit WouldBlock(std::function<void(Retry)> resume) : resume_(std::move(resume)) {}

    // Hands `retry` to the resumer (see the constructor).
    void resume(Retry retry) const { resume_(std::move(retry)); }

  private:
    std::function<void(Retry)> resume_;
};

// While one lives on a thread, blocking_allowed() is false there.
class InlineOnly {
  public:
    InlineOnly() noexcept;
    ~InlineOnly();
    InlineOnly(const InlineOnly&) = delete;
    InlineOnly& operator=(const InlineOnly&) = delete;

  private:
    bool outer_;
};

// Whether this thread may wait on I/O or on other threads' work.
bool blocking_allowed() noexcept;

// Calls `attempt` each time `pending` (then each WouldBlock it throws in turn) resumes it, until
// it returns; then calls `done` with its result. Both are copied into the retries.
template <typename Attempt, typename Done>
void resume_until_done(const WouldBlock& pending, Attempt attempt, Done done) {
    pending.resume([attempt = std::move(attempt), done = std::move(done)]() mutable {
        std::optional<WouldBlock> again;
        try {
            done(attempt());
            return;
        } catch (const WouldBlock& e) {
            again.emplace(e);
        }
        resume_until_done(*again, std::move(attempt), std::move(done));
    });
}

}  // namespace rekmock::service
