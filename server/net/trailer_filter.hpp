#pragma once

// Beast's parser adds a chunked request's trailer fields to its header fields, where a trailer
// could set X-Amz-Target or Authorization after the fact. RFC 9110 section 6.5.1 lets a recipient
// discard trailer fields it does not need; this mock needs none, so it drops them all.

#include <vector>

#include "net.hpp"

namespace rekmock::net {

class TrailerFilter {
  public:
    // Remembers which fields `header` holds once its header section is complete.
    explicit TrailerFilter(const http::fields& header);

    // Erases from `fields` every field added since construction (the trailer section).
    void drop_trailer(http::fields& fields) const;

  private:
    std::vector<const void*> header_fields_;  // element addresses, sorted; Beast never moves them
};

}  // namespace rekmock::net
