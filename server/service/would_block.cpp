#include "would_block.hpp"

namespace rekmock::service {
namespace {

thread_local bool inline_only = false;

}  // namespace

InlineOnly::InlineOnly() noexcept : outer_(inline_only) {
    inline_only = true;
}

InlineOnly::~InlineOnly() {
    inline_only = outer_;
}

bool blocking_allowed() noexcept {
    return !inline_only;
}

}  // namespace rekmock::service
