#include "session_registry.hpp"

#include <vector>

#include "http_session.hpp"

namespace rekmock::net {

std::uint64_t SessionRegistry::add(const std::weak_ptr<HttpSession>& session) {
    std::lock_guard lock(mutex_);
    const std::uint64_t id = next_id_++;
    sessions_.emplace(id, session);
    return id;
}

void SessionRegistry::remove(std::uint64_t id) {
    std::function<void()> on_empty;
    {
        std::lock_guard lock(mutex_);
        sessions_.erase(id);
        if (draining_ && sessions_.empty() && on_empty_) {
            on_empty = std::move(on_empty_);
            on_empty_ = nullptr;
        }
    }
    if (on_empty) {
        on_empty();
    }
}

std::size_t SessionRegistry::size() {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

void SessionRegistry::drain(std::function<void()> on_empty) {
    std::vector<std::shared_ptr<HttpSession>> open;
    {
        std::lock_guard lock(mutex_);
        draining_ = true;
        for (const auto& [id, weak] : sessions_) {
            if (auto session = weak.lock()) {
                open.push_back(std::move(session));
            }
        }
        if (!sessions_.empty()) {
            on_empty_ = std::move(on_empty);
        }
    }
    if (on_empty) {
        on_empty();
        return;
    }
    for (const auto& session : open) {
        session->shutdown();
    }
}

}  // namespace rekmock::net
