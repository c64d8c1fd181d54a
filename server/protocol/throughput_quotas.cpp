#include "throughput_quotas.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace rekmock::protocol {

std::optional<Quota> parse_quota(std::string_view text,
                                 const std::vector<std::string_view>& operations) {
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view operation = text.substr(0, equals);
    const std::string_view number = text.substr(equals + 1);
    if (std::find(operations.begin(), operations.end(), operation) == operations.end()) {
        return std::nullopt;
    }
    double rate = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), rate);
    if (error != std::errc() || end != number.data() + number.size() || !std::isfinite(rate) ||
        rate <= 0 || rate > kMaxRatePerSecond) {
        return std::nullopt;
    }
    return Quota{std::string(operation), rate, std::max(1.0, rate)};
}

ThroughputQuotas::ThroughputQuotas(std::vector<Quota> defaults) : defaults_(std::move(defaults)) {
    restore_defaults();
}

void ThroughputQuotas::set(const Quota& quota) {
    const std::lock_guard lock(mutex_);
    quotas_.insert_or_assign(quota.operation, Entry{QuotaState{quota, 0}, {}});
    active_ = true;
}

bool ThroughputQuotas::remove(std::string_view operation) {
    const std::lock_guard lock(mutex_);
    const auto found = quotas_.find(operation);
    if (found == quotas_.end()) {
        return false;
    }
    quotas_.erase(found);
    active_ = !quotas_.empty();
    return true;
}

std::size_t ThroughputQuotas::clear() {
    const std::lock_guard lock(mutex_);
    const std::size_t count = quotas_.size();
    quotas_.clear();
    active_ = false;
    return count;
}

void ThroughputQuotas::restore_defaults() {
    const std::lock_guard lock(mutex_);
    quotas_.clear();
    for (const auto& quota : defaults_) {
        quotas_.insert_or_assign(quota.operation, Entry{QuotaState{quota, 0}, {}});
    }
    active_ = !quotas_.empty();
}

std::vector<QuotaState> ThroughputQuotas::list() const {
    const std::lock_guard lock(mutex_);
    std::vector<QuotaState> states;
    states.reserve(quotas_.size());
    for (const auto& [operation, entry] : quotas_) {
        states.push_back(entry.state);
    }
    return states;
}

bool ThroughputQuotas::admit(const Scope& scope, std::string_view operation,
                             TokenBucket::Clock::time_point now) {
    if (!active_) {
        return true;
    }
    const std::lock_guard lock(mutex_);
    const auto found = quotas_.find(operation);
    if (found == quotas_.end()) {
        return true;
    }
    Entry& entry = found->second;
    auto bucket = entry.buckets.find({scope.account, scope.region});
    if (bucket == entry.buckets.end()) {
        const Quota& quota = entry.state.quota;
        bucket = entry.buckets
                     .emplace(std::tuple(scope.account, scope.region),
                              TokenBucket(quota.rate_per_second, quota.burst, now))
                     .first;
    }
    if (bucket->second.take(now)) {
        return true;
    }
    ++entry.state.throttled;
    return false;
}

}  // namespace rekmock::protocol
