#include "job_columns.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "comma_list.hpp"
#include "job_key.hpp"

namespace rekmock::storage {
namespace {

// A member's value in its column's SQL type: text (not copied), REAL, milliseconds since the
// epoch, a rules set's id, or an enum's model spelling (static text); an absent optional is NULL.
void bind_value(Statement& s, int index, const std::string& value) {
    s.bind_borrowed(index, std::string_view(value));
}
void bind_value(Statement& s, int index, bool value) {
    s.bind(index, std::int64_t{value ? 1 : 0});
}
void bind_value(Statement& s, int index, std::int64_t value) {
    s.bind(index, value);
}
void bind_value(Statement& s, int index, double value) {
    s.bind(index, value);
}
void bind_value(Statement& s, int index, Timestamp value) {
    s.bind(index, to_millis(value));
}
void bind_value(Statement& s, int index, RulesSetId value) {
    s.bind(index, static_cast<std::int64_t>(value));
}
template <typename Enum>
requires std::is_enum_v<Enum>
void bind_value(Statement& s, int index, Enum value) {
    s.bind_borrowed(index, to_string(value));
}
template <typename T>
void bind_value(Statement& s, int index, const std::optional<T>& value) {
    value ? bind_value(s, index, *value) : s.bind_null(index);
}

template <typename Enum>
Enum parse_stored(std::optional<Enum> parsed, std::string_view column) {
    if (!parsed) {
        throw StorageError("corrupt store: unknown value in column " + std::string(column));
    }
    return *parsed;
}

// The inverse of bind_value; `column` names the column in the error a corrupt value raises.
void read_value(const Statement& s, int index, std::string_view, std::string& value) {
    value = s.column_text(index);
}
void read_value(const Statement& s, int index, std::string_view, bool& value) {
    value = s.column_int64(index) != 0;
}
void read_value(const Statement& s, int index, std::string_view, std::int64_t& value) {
    value = s.column_int64(index);
}
void read_value(const Statement& s, int index, std::string_view, double& value) {
    value = s.column_double(index);
}
void read_value(const Statement& s, int index, std::string_view, Timestamp& value) {
    value = from_millis(s.column_int64(index));
}
void read_value(const Statement& s, int index, std::string_view, RulesSetId& value) {
    value = RulesSetId{s.column_int64(index)};
}
void read_value(const Statement& s, int index, std::string_view column,
                MediaAnalysisJobStatus& value) {
    value = parse_stored(parse_job_status(s.column_text(index)), column);
}
void read_value(const Statement& s, int index, std::string_view column,
                MediaAnalysisJobFailureCode& value) {
    value = parse_stored(parse_failure_code(s.column_text(index)), column);
}
template <typename T>
void read_value(const Statement& s, int index, std::string_view column, std::optional<T>& value) {
    s.is_null(index) ? value.reset() : read_value(s, index, column, value.emplace());
}

struct JobColumn {
    std::string_view name;
    void (*bind)(Statement& insert, int index, const MediaAnalysisJob& job);
    // nullptr for a column derived from others, which nothing reads back.
    void (*read)(const Statement& row, int index, std::string_view name, MediaAnalysisJob& job);
};

// A column reaches its member through a lens: a function from a job (const or not) to a pointer
// to the member, nullptr when an optional part holding the member is absent. `in` descends into
// such a part: the member `member` of `*part`, or nullptr when the part is absent.
template <typename Part, typename Member>
auto* in(Part* part, Member member) {
    return part != nullptr && part->has_value() ? &((**part).*member) : nullptr;
}

template <typename Lens>
void bind_member(Statement& s, int index, const MediaAnalysisJob& job) {
    const auto* value = Lens{}(job);
    value != nullptr ? bind_value(s, index, *value) : s.bind_null(index);
}
template <typename Lens>
void read_member(const Statement& s, int index, std::string_view column, MediaAnalysisJob& job) {
    if (auto* value = Lens{}(job)) {
        read_value(s, index, column, *value);
    }
}

// The column that holds the member `Lens` points at: NULL when its part is absent.
template <typename Lens>
constexpr JobColumn column(std::string_view name, Lens, decltype(JobColumn::read) read = nullptr) {
    return {name, &bind_member<Lens>, read != nullptr ? read : &read_member<Lens>};
}

template <typename Lens>
void bind_presence(Statement& s, int index, const MediaAnalysisJob& job) {
    const auto* part = Lens{}(job);
    s.bind(index, std::int64_t{part != nullptr && part->has_value() ? 1 : 0});
}
template <typename Lens>
void read_presence(const Statement& s, int index, std::string_view, MediaAnalysisJob& job) {
    if (auto* part = Lens{}(job); part != nullptr && s.column_int64(index) != 0) {
        part->emplace();
    }
}

// The presence flag (0 or 1) of the optional part `Lens` points at, which keeps an empty part
// ({}) apart from an absent one. It precedes the part's members: they are read into the part it
// creates.
template <typename Lens>
constexpr JobColumn presence(std::string_view name, Lens) {
    return {name, &bind_presence<Lens>, &read_presence<Lens>};
}

using Moderation = MediaAnalysisDetectModerationLabelsConfig;
using FailureDetails = MediaAnalysisJobFailureDetails;

// Lenses onto a job's optional parts.
constexpr auto kModeration = [](auto& j) { return &j.operations_config.detect_moderation_labels; };
constexpr auto kFailure = [](auto& j) { return &j.failure_details; };
constexpr auto kResults = [](auto& j) { return &j.results; };
constexpr auto kResultsS3 = [](auto& j) {
    return in(&j.results, &MediaAnalysisResults::s3_object);
};
constexpr auto kModelVersions = [](auto& j) {
    return in(&j.results, &MediaAnalysisResults::model_versions);
};
constexpr auto kManifest = [](auto& j) { return &j.manifest_summary; };
constexpr auto kManifestS3 = [](auto& j) {
    return in(&j.manifest_summary, &MediaAnalysisManifestSummary::s3_object);
};

// A schedule is stored as both instants or neither: a NULL queued_ms means none (to the partial
// indexes too), and the schedule it creates takes in_progress_ms next.
void read_queued(const Statement& s, int index, std::string_view column, MediaAnalysisJob& job) {
    if (!s.is_null(index)) {
        read_value(s, index, column, job.schedule.emplace().queued_at);
    }
}

// Every column of media_analysis_jobs, in the order of the table (migration 4, then those after).
constexpr std::array kColumns{
    column("job_id", [](auto& j) { return &j.job_id; }),
    column("creation_ms", [](auto& j) { return &j.creation_timestamp; }),
    column("job_name", [](auto& j) { return &j.job_name; }),
    column("status", [](auto& j) { return &j.status; }),
    presence("moderation_config", kModeration),
    column("min_confidence",
           [](auto& j) { return in(kModeration(j), &Moderation::min_confidence); }),
    column("project_version",
           [](auto& j) { return in(kModeration(j), &Moderation::project_version); }),
    column("input_bucket", [](auto& j) { return &j.input.s3_object.bucket; }),
    column("input_name", [](auto& j) { return &j.input.s3_object.name; }),
    column("input_version", [](auto& j) { return &j.input.s3_object.version; }),
    column("output_bucket", [](auto& j) { return &j.output_config.s3_bucket; }),
    column("output_prefix", [](auto& j) { return &j.output_config.s3_key_prefix; }),
    column("kms_key_id", [](auto& j) { return &j.kms_key_id; }),
    column("completion_ms", [](auto& j) { return &j.completion_timestamp; }),
    presence("failure", kFailure),
    column("failure_code", [](auto& j) { return in(kFailure(j), &FailureDetails::code); }),
    column("failure_message", [](auto& j) { return in(kFailure(j), &FailureDetails::message); }),
    presence("results", kResults),
    presence("results_s3", kResultsS3),
    column("results_bucket", [](auto& j) { return in(kResultsS3(j), &S3Object::bucket); }),
    column("results_name", [](auto& j) { return in(kResultsS3(j), &S3Object::name); }),
    column("results_version", [](auto& j) { return in(kResultsS3(j), &S3Object::version); }),
    presence("results_models", kModelVersions),
    column("results_moderation",
           [](auto& j) { return in(kModelVersions(j), &MediaAnalysisModelVersions::moderation); }),
    presence("manifest", kManifest),
    presence("manifest_s3", kManifestS3),
    column("manifest_bucket", [](auto& j) { return in(kManifestS3(j), &S3Object::bucket); }),
    column("manifest_name", [](auto& j) { return in(kManifestS3(j), &S3Object::name); }),
    column("manifest_version", [](auto& j) { return in(kManifestS3(j), &S3Object::version); }),
    column("account", [](auto& j) { return &j.scope.account; }),
    column("region", [](auto& j) { return &j.scope.region; }),
    column(
        "queued_ms", [](auto& j) { return in(&j.schedule, &LifecycleSchedule::queued_at); },
        &read_queued),
    column("in_progress_ms",
           [](auto& j) { return in(&j.schedule, &LifecycleSchedule::in_progress_at); }),
    JobColumn{"job_key",
              [](Statement& s, int index, const MediaAnalysisJob& job) {
                  s.bind(index, job_key(job.job_id));
              },
              nullptr},
    column("outputs_pending", [](auto& j) { return &j.outputs_pending; }),
    column("polls_per_state", [](auto& j) { return &j.polls_per_state; }),
    column("polls_seen", [](auto& j) { return &j.polls_seen; }),
    column("rules_set_id", [](auto& j) { return &j.frozen_rules; }),
};

// Column `i`'s position in job_select_list(): the columns before it that are read back.
constexpr int select_index(std::size_t i) {
    int position = 0;
    for (std::size_t k = 0; k < i; ++k) {
        position += kColumns[k].read != nullptr ? 1 : 0;
    }
    return position;
}

// Every column in turn, unrolled so that each call is direct: a bulk load binds a million jobs.
template <std::size_t... I>
void bind_columns(Statement& insert, const MediaAnalysisJob& job, std::index_sequence<I...>) {
    (kColumns[I].bind(insert, static_cast<int>(I) + 1, job), ...);
}
template <std::size_t... I>
void read_columns(const Statement& row, MediaAnalysisJob& job, std::index_sequence<I...>) {
    ((kColumns[I].read != nullptr ? kColumns[I].read(row, select_index(I), kColumns[I].name, job)
                                  : void()),
     ...);
}

// The columns' names, comma-separated: every one, or only those read back. (A loop, not
// std::views::filter: the fuzz build's clang 14 cannot compile libstdc++ 12's range adaptors.)
std::string column_names(bool with_derived) {
    std::vector<std::string_view> names;
    for (const JobColumn& column : kColumns) {
        if (with_derived || column.read != nullptr) {
            names.push_back(column.name);
        }
    }
    return comma_list(names);
}

}  // namespace

const std::string& job_select_list() {
    static const std::string list = column_names(false);
    return list;
}

const std::string& job_insert_sql() {
    static const std::string sql = [] {
        std::string parameters = "?";
        for (std::size_t i = 1; i < kColumns.size(); ++i) {
            parameters += ", ?";
        }
        return "INSERT INTO media_analysis_jobs (" + column_names(true) + ") VALUES (" +
               parameters + ")";
    }();
    return sql;
}

void bind_job(Statement& insert, const MediaAnalysisJob& job) {
    bind_columns(insert, job, std::make_index_sequence<kColumns.size()>());
}

MediaAnalysisJob read_job(const Statement& row) {
    MediaAnalysisJob job;
    read_columns(row, job, std::make_index_sequence<kColumns.size()>());
    return job;
}

}  // namespace rekmock::storage
