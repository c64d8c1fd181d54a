#pragma once

// The state shared by all connections: which are open, so a shutdown can reach each of them.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace rekmock::net {

class HttpSession;

class SessionRegistry {
  public:
    // Registers an open session; returns the id to pass to remove().
    std::uint64_t add(const std::weak_ptr<HttpSession>& session);
    // Forgets a session; runs the on-empty callback if it was the last one during a drain.
    void remove(std::uint64_t id);
    // How many sessions are open.
    std::size_t size();
    // Asks every open session to finish its in-flight response and close; `on_empty` runs once
    // no session remains (at once if none is open).
    void drain(std::function<void()> on_empty);

  private:
    std::mutex mutex_;
    std::uint64_t next_id_ = 0;
    std::unordered_map<std::uint64_t, std::weak_ptr<HttpSession>> sessions_;
    bool draining_ = false;
    std::function<void()> on_empty_;
};

}  // namespace rekmock::net
