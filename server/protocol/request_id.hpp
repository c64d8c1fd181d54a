#pragma once

#include <string>

namespace rekmock::protocol {

// A fresh random (version 4) UUID in AWS's lower-case 8-4-4-4-12 form, for x-amzn-RequestId.
std::string new_request_id();

}  // namespace rekmock::protocol
