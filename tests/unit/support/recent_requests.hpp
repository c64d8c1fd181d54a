#pragma once

// The request journal's last records, as the tests read them: a selection with no condition.

#include <cstddef>
#include <optional>
#include <vector>

#include "request_filter.hpp"
#include "request_journal.hpp"

namespace rekmock::testing {

// The last `limit` records of `journal`, oldest first.
inline std::vector<protocol::RequestRecord> recent(const protocol::RequestJournal& journal,
                                                   std::size_t limit) {
    return journal.select(protocol::RequestFilter{}, std::nullopt, limit)->records;
}

}  // namespace rekmock::testing
