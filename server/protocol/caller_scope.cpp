#include "caller_scope.hpp"

namespace rekmock::protocol {

Scope caller_scope(const std::optional<SigV4Authorization>& authorization, const Scope& defaults) {
    Scope scope = defaults;
    if (authorization) {
        if (is_account_id(authorization->access_key_id)) {
            scope.account = authorization->access_key_id;
        }
        if (is_region_name(authorization->region)) {
            scope.region = authorization->region;
        }
    }
    return scope;
}

}  // namespace rekmock::protocol
