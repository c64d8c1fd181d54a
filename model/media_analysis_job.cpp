#include "media_analysis_job.hpp"

#include <array>
#include <utility>

namespace rekmock {
namespace {

constexpr std::array kStatusNames{
    std::pair{MediaAnalysisJobStatus::Created, std::string_view("CREATED")},
    std::pair{MediaAnalysisJobStatus::Queued, std::string_view("QUEUED")},
    std::pair{MediaAnalysisJobStatus::InProgress, std::string_view("IN_PROGRESS")},
    std::pair{MediaAnalysisJobStatus::Succeeded, std::string_view("SUCCEEDED")},
    std::pair{MediaAnalysisJobStatus::Failed, std::string_view("FAILED")},
};

constexpr std::array kFailureCodeNames{
    std::pair{MediaAnalysisJobFailureCode::InternalError, std::string_view("INTERNAL_ERROR")},
    std::pair{MediaAnalysisJobFailureCode::InvalidS3Object, std::string_view("INVALID_S3_OBJECT")},
    std::pair{MediaAnalysisJobFailureCode::InvalidManifest, std::string_view("INVALID_MANIFEST")},
    std::pair{MediaAnalysisJobFailureCode::InvalidOutputConfig,
              std::string_view("INVALID_OUTPUT_CONFIG")},
    std::pair{MediaAnalysisJobFailureCode::InvalidKmsKey, std::string_view("INVALID_KMS_KEY")},
    std::pair{MediaAnalysisJobFailureCode::AccessDenied, std::string_view("ACCESS_DENIED")},
    std::pair{MediaAnalysisJobFailureCode::ResourceNotFound,
              std::string_view("RESOURCE_NOT_FOUND")},
    std::pair{MediaAnalysisJobFailureCode::ResourceNotReady,
              std::string_view("RESOURCE_NOT_READY")},
    std::pair{MediaAnalysisJobFailureCode::Throttled, std::string_view("THROTTLED")},
};

template <typename Table, typename Enum>
std::string_view name_of(const Table& table, Enum value) {
    for (const auto& [candidate, name] : table) {
        if (candidate == value) {
            return name;
        }
    }
    return {};
}

template <typename Enum, typename Table>
std::optional<Enum> value_of(const Table& table, std::string_view name) {
    for (const auto& [value, candidate] : table) {
        if (candidate == name) {
            return value;
        }
    }
    return std::nullopt;
}

// What `part` takes of each entry of `table`, in its order.
template <typename Table, typename Part>
auto column_of(const Table& table, Part part) {
    std::vector<decltype(part(table.front()))> column;
    for (const auto& entry : table) {
        column.push_back(part(entry));
    }
    return column;
}

}  // namespace

std::string_view to_string(MediaAnalysisJobStatus status) {
    return name_of(kStatusNames, status);
}

std::string_view to_string(MediaAnalysisJobFailureCode code) {
    return name_of(kFailureCodeNames, code);
}

std::optional<MediaAnalysisJobStatus> parse_job_status(std::string_view name) {
    return value_of<MediaAnalysisJobStatus>(kStatusNames, name);
}

std::optional<MediaAnalysisJobFailureCode> parse_failure_code(std::string_view name) {
    return value_of<MediaAnalysisJobFailureCode>(kFailureCodeNames, name);
}

std::vector<std::string_view> all_job_status_names() {
    return column_of(kStatusNames, [](const auto& entry) { return entry.second; });
}

std::vector<std::string_view> all_failure_code_names() {
    return column_of(kFailureCodeNames, [](const auto& entry) { return entry.second; });
}

std::vector<MediaAnalysisJobFailureCode> all_failure_codes() {
    return column_of(kFailureCodeNames, [](const auto& entry) { return entry.first; });
}

}  // namespace rekmock
