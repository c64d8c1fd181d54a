#pragma once

// What the fixture tests assert on: the message a FixtureError carries.

#include <functional>
#include <string>

#include "fixture_reader.hpp"

namespace rekmock::testing {

// The FixtureError message `action` throws, or "<no FixtureError>".
inline std::string failure_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const fixtures::FixtureError& e) {
        return e.what();
    }
    return "<no FixtureError>";
}

}  // namespace rekmock::testing
