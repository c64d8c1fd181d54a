#include "request_filter.hpp"

namespace rekmock::protocol {
namespace {

// An unset condition holds for every record.
template <typename T, typename U>
bool holds(const std::optional<T>& wanted, const U& actual) {
    return !wanted || *wanted == actual;
}

}  // namespace

bool RequestFilter::matches(const RequestRecord& record) const {
    if (error_type) {
        // "*" is "failed", whatever the error; a success never has an error type.
        const bool wanted_error = *error_type == kAnyError ? !record.error_type.empty()
                                                           : record.error_type == *error_type;
        if (!wanted_error) {
            return false;
        }
    }
    if (status && (record.status < status->low || record.status > status->high)) {
        return false;
    }
    // An unroutable record's operation is "", which no valid Operation condition names.
    return holds(operation, record.operation) && holds(account, record.caller.account) &&
           holds(region, record.caller.region) &&
           holds(client_request_token, record.noted.client_request_token) &&
           holds(job_name, record.noted.job_name) &&
           holds(unroutable, record.unroutable.has_value()) && holds(request_id, record.request_id);
}

}  // namespace rekmock::protocol
