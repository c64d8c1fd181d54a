#include "snapshot_job.hpp"

#include <stdexcept>

#include "job_description_json.hpp"
#include "model_validation.hpp"

namespace rekmock::snapshot {

SnapshotJob snapshot_job(const nlohmann::json& answer) {
    if (!answer.is_object()) {
        throw std::runtime_error("the job is not a JSON object");
    }
    SnapshotJob copied;
    copied.job = protocol::decode_job_description(answer, std::string(), false);
    if (const auto violations = service::validate_job_description(copied.job);
        !violations.empty()) {
        throw std::runtime_error(service::describe(violations));
    }
    // What the mock will answer for it, compared as JSON values: 1.5e9 and 1500000000 are one
    // number, member order does not matter.
    const nlohmann::json served =
        nlohmann::json::parse(protocol::encode_job_description(copied.job));
    for (const auto& change : nlohmann::json::diff(answer, served)) {
        copied.differences.push_back(change.at("path").get<std::string>());
    }
    return copied;
}

}  // namespace rekmock::snapshot
