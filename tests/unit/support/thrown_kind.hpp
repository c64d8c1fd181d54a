#pragma once

// The kind() of the typed error a call throws, for tests that check which error it is.

#include <doctest/doctest.h>

#include <utility>

namespace rekmock::testing {

// The kind() of the `Error` that `action` throws; fails the test (and returns a value-initialized
// kind) when it throws none.
template <typename Error, typename Action>
auto thrown_kind(Action&& action) -> decltype(std::declval<const Error&>().kind()) {
    try {
        std::forward<Action>(action)();
    } catch (const Error& e) {
        return e.kind();
    }
    FAIL("no error thrown");
    return {};
}

}  // namespace rekmock::testing
