#pragma once

#include <string_view>

namespace rekmock::moderation {

// Whether `text` matches the shell-style `pattern` as a whole: `*` matches any run of bytes,
// `/` included (S3 keys have no directories), `?` exactly one byte, every other byte itself.
// There is no escape: a rule that needs a literal `*` names the source-ref exactly.
bool glob_match(std::string_view pattern, std::string_view text) noexcept;

}  // namespace rekmock::moderation
