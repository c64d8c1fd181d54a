#include "job_columns.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <tuple>
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
template <typename T>
void read_value(const Statement& s, int index, std::string_view column, std::optional<T>& value) {
    s.is_null(index) ? value.reset() : read_value(s, index, column, value.emplace());
}

struct JobColumn {
    std::string_view name;
    void (*bind)(Statement& insert, int index, const MediaAnalysisJob& job, JobRows& rows);
    // nullptr for a column derived from others, which nothing reads back.
    void (*read)(const Statement& row, int index, std::string_view name, MediaAnalysisJob& job,
                 JobRows& rows);
};

// A column reaches its member through a lens: a function from a job (const or not) to a pointer
// to the member, nullptr when an optional part holding the member is absent. `in` descends into
// such a part: the member `member` of `*part`, or nullptr when the part is absent.
template <typename Part, typename Member>
auto* in(Part* part, Member member) {
    return part != nullptr && part->has_value() ? &((**part).*member) : nullptr;
}

template <typename Lens>
void bind_member(Statement& s, int index, const MediaAnalysisJob& job, JobRows&) {
    const auto* value = Lens{}(job);
    value != nullptr ? bind_value(s, index, *value) : s.bind_null(index);
}
template <typename Lens>
void read_member(const Statement& s, int index, std::string_view column, MediaAnalysisJob& job,
                 JobRows&) {
    if (auto* value = Lens{}(job)) {
        read_value(s, index, column, *value);
    }
}

// The column that holds the member `Lens` points at: NULL when its part is absent.
template <typename Lens>
constexpr JobColumn column(std::string_view name, Lens, decltype(JobColumn::read) read = nullptr) {
    return {name, &bind_member<Lens>, read != nullptr ? read : &read_member<Lens>};
}

// An interned text's id in place of the text (an enum's, of its model spelling).
void bind_interned(Statement& s, int index, const std::string& value, JobRows& rows) {
    s.bind(index, rows.texts().intern(value));
}
template <typename Enum>
requires std::is_enum_v<Enum>
void bind_interned(Statement& s, int index, Enum value, JobRows& rows) {
    s.bind(index, rows.texts().intern(to_string(value)));
}
template <typename T>
void bind_interned(Statement& s, int index, const std::optional<T>& value, JobRows& rows) {
    value ? bind_interned(s, index, *value, rows) : s.bind_null(index);
}
void read_interned(const Statement& s, int index, std::string_view, std::string& value,
                   JobRows& rows) {
    value = rows.texts().text(s.column_int64(index));
}
void read_interned(const Statement& s, int index, std::string_view column,
                   MediaAnalysisJobFailureCode& value, JobRows& rows) {
    value = parse_stored(parse_failure_code(rows.texts().text(s.column_int64(index))), column);
}
template <typename T>
void read_interned(const Statement& s, int index, std::string_view column, std::optional<T>& value,
                   JobRows& rows) {
    s.is_null(index) ? value.reset() : read_interned(s, index, column, value.emplace(), rows);
}

template <typename Lens>
void bind_interned_member(Statement& s, int index, const MediaAnalysisJob& job, JobRows& rows) {
    const auto* value = Lens{}(job);
    value != nullptr ? bind_interned(s, index, *value, rows) : s.bind_null(index);
}
template <typename Lens>
void read_interned_member(const Statement& s, int index, std::string_view column,
                          MediaAnalysisJob& job, JobRows& rows) {
    if (auto* value = Lens{}(job)) {
        read_interned(s, index, column, *value, rows);
    }
}

// The column that holds the id of the text `Lens` points at, a text that repeats from job to
// job: NULL when its part is absent.
template <typename Lens>
constexpr JobColumn interned(std::string_view name, Lens) {
    return {name, &bind_interned_member<Lens>, &read_interned_member<Lens>};
}

// A name in its stored form (stored_name), the blob in the slot `Slot` of the rows' buffers.
template <typename Lens, std::size_t Slot>
void bind_name_member(Statement& s, int index, const MediaAnalysisJob& job, JobRows& rows) {
    const std::optional<std::string>* name = Lens{}(job);
    if (name == nullptr || !name->has_value()) {
        s.bind_null(index);
        return;
    }
    std::string& blob = rows.name_buffer(Slot);
    stored_name(**name, job.job_id, blob) ? s.bind_borrowed_blob(index, blob)
                                          : s.bind_borrowed(index, std::string_view(**name));
}
// After job_id, which the first column holds.
template <typename Lens>
void read_name_member(const Statement& s, int index, std::string_view, MediaAnalysisJob& job,
                      JobRows&) {
    if (std::optional<std::string>* name = Lens{}(job)) {
        if (s.is_null(index)) {
            name->reset();
        } else if (s.is_blob(index)) {
            *name = name_from_stored(s.column_bytes(index), job.job_id);
        } else {
            *name = s.column_text(index);
        }
    }
}

// The column that holds the S3 object name `Lens` points at, without the job's JobId when it
// holds it: NULL when its part is absent.
template <std::size_t Slot, typename Lens>
constexpr JobColumn named(std::string_view name, Lens) {
    return {name, &bind_name_member<Lens, Slot>, &read_name_member<Lens>};
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

// The optional parts a job may have, each after the part that holds it.
constexpr std::tuple kParts{kModeration,    kFailure,  kResults,   kResultsS3,
                            kModelVersions, kManifest, kManifestS3};

// The parts a job has, as the bits of one column (in kParts' order): keeps an empty part ({})
// apart from an absent one. It precedes the parts' members: they are read into the parts it
// creates.
void bind_parts(Statement& s, int index, const MediaAnalysisJob& job, JobRows&) {
    std::int64_t bits = 0;
    int bit = 0;
    std::apply(
        [&](auto... lens) {
            ((bits |= std::int64_t{lens(job) != nullptr && lens(job)->has_value()} << bit++), ...);
        },
        kParts);
    s.bind(index, bits);
}
void read_parts(const Statement& s, int index, std::string_view, MediaAnalysisJob& job, JobRows&) {
    const std::int64_t bits = s.column_int64(index);
    int bit = 0;
    const auto read = [&](auto* part) {
        if ((bits >> bit++ & 1) != 0 && part != nullptr) {
            part->emplace();
        }
    };
    std::apply([&](auto... lens) { (read(lens(job)), ...); }, kParts);
}

// A schedule is stored as both instants or neither: a NULL queued_ms means none (to the partial
// indexes too), and the schedule it creates takes in_progress_ms next.
void read_queued(const Statement& s, int index, std::string_view column, MediaAnalysisJob& job,
                 JobRows&) {
    if (!s.is_null(index)) {
        read_value(s, index, column, job.schedule.emplace().queued_at);
    }
}

// Every column of media_analysis_jobs, in the order of the table (migration 9). job_id comes
// before the names, which put it back, and parts before the parts' members.
constexpr std::array kColumns{
    JobColumn{"job_key",
              [](Statement& s, int index, const MediaAnalysisJob& job, JobRows&) {
                  s.bind(index, job_key(job.job_id));
              },
              nullptr},
    interned("account", [](auto& j) { return &j.scope.account; }),
    interned("region", [](auto& j) { return &j.scope.region; }),
    column("creation_ms", [](auto& j) { return &j.creation_timestamp; }),
    column("job_id", [](auto& j) { return &j.job_id; }),
    column("status", [](auto& j) { return &j.status; }),
    column(
        "queued_ms", [](auto& j) { return in(&j.schedule, &LifecycleSchedule::queued_at); },
        &read_queued),
    column("completion_ms", [](auto& j) { return &j.completion_timestamp; }),
    column("outputs_pending", [](auto& j) { return &j.outputs_pending; }),
    column("rules_set_id", [](auto& j) { return &j.frozen_rules; }),
    JobColumn{"parts", &bind_parts, &read_parts},
    column("job_name", [](auto& j) { return &j.job_name; }),
    column("min_confidence",
           [](auto& j) { return in(kModeration(j), &Moderation::min_confidence); }),
    interned("project_version",
             [](auto& j) { return in(kModeration(j), &Moderation::project_version); }),
    interned("input_bucket", [](auto& j) { return &j.input.s3_object.bucket; }),
    column("input_name", [](auto& j) { return &j.input.s3_object.name; }),
    column("input_version", [](auto& j) { return &j.input.s3_object.version; }),
    interned("output_bucket", [](auto& j) { return &j.output_config.s3_bucket; }),
    interned("output_prefix", [](auto& j) { return &j.output_config.s3_key_prefix; }),
    interned("kms_key_id", [](auto& j) { return &j.kms_key_id; }),
    interned("failure_code", [](auto& j) { return in(kFailure(j), &FailureDetails::code); }),
    column("failure_message", [](auto& j) { return in(kFailure(j), &FailureDetails::message); }),
    interned("results_bucket", [](auto& j) { return in(kResultsS3(j), &S3Object::bucket); }),
    named<0>("results_name", [](auto& j) { return in(kResultsS3(j), &S3Object::name); }),
    column("results_version", [](auto& j) { return in(kResultsS3(j), &S3Object::version); }),
    interned(
        "results_moderation",
        [](auto& j) { return in(kModelVersions(j), &MediaAnalysisModelVersions::moderation); }),
    interned("manifest_bucket", [](auto& j) { return in(kManifestS3(j), &S3Object::bucket); }),
    named<1>("manifest_name", [](auto& j) { return in(kManifestS3(j), &S3Object::name); }),
    column("manifest_version", [](auto& j) { return in(kManifestS3(j), &S3Object::version); }),
    column("in_progress_ms",
           [](auto& j) { return in(&j.schedule, &LifecycleSchedule::in_progress_at); }),
    column("polls_per_state", [](auto& j) { return &j.polls_per_state; }),
    column("polls_seen", [](auto& j) { return &j.polls_seen; }),
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
void bind_columns(Statement& insert, const MediaAnalysisJob& job, JobRows& rows,
                  std::index_sequence<I...>) {
    (kColumns[I].bind(insert, static_cast<int>(I) + 1, job, rows), ...);
}
template <std::size_t... I>
void read_columns(const Statement& row, MediaAnalysisJob& job, JobRows& rows,
                  std::index_sequence<I...>) {
    ((kColumns[I].read != nullptr
          ? kColumns[I].read(row, select_index(I), kColumns[I].name, job, rows)
          : void()),
     ...);
}

void stored_name_sql(sqlite3_context* context, int, sqlite3_value** arguments) {
    const auto name = text_argument(arguments[0]);
    const auto job_id = text_argument(arguments[1]);
    std::string blob;
    if (!name) {
        sqlite3_result_null(context);
    } else if (job_id && stored_name(*name, *job_id, blob)) {
        sqlite3_result_blob(context, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    } else {
        sqlite3_result_text(context, name->data(), static_cast<int>(name->size()),
                            SQLITE_TRANSIENT);
    }
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

void JobRows::bind(Statement& insert, const MediaAnalysisJob& job) {
    bind_columns(insert, job, *this, std::make_index_sequence<kColumns.size()>());
}

MediaAnalysisJob JobRows::read(const Statement& row) {
    MediaAnalysisJob job;
    read_columns(row, job, *this, std::make_index_sequence<kColumns.size()>());
    return job;
}

bool stored_name(std::string_view name, std::string_view job_id, std::string& blob) {
    const std::size_t at = job_id.empty() ? std::string_view::npos : name.find(job_id);
    if (at == std::string_view::npos || at > std::numeric_limits<std::uint16_t>::max()) {
        return false;
    }
    blob.clear();
    blob.push_back(static_cast<char>(at & 0xff));
    blob.push_back(static_cast<char>(at >> 8));
    blob.append(name.substr(0, at)).append(name.substr(at + job_id.size()));
    return true;
}

std::string name_from_stored(std::string_view blob, std::string_view job_id) {
    if (blob.size() < 2) {
        throw StorageError("corrupt store: a stored name of " + std::to_string(blob.size()) +
                           " bytes");
    }
    const std::size_t at = static_cast<unsigned char>(blob[0]) |
                           (std::size_t{static_cast<unsigned char>(blob[1])} << 8);
    const std::string_view rest = blob.substr(2);
    if (at > rest.size()) {
        throw StorageError("corrupt store: a stored name's JobId beyond its end");
    }
    std::string name;
    name.reserve(rest.size() + job_id.size());
    return name.append(rest.substr(0, at)).append(job_id).append(rest.substr(at));
}

void define_stored_name_function(Database& db) {
    db.define_function("rekmock_stored_name", 2, stored_name_sql);
}

}  // namespace rekmock::storage
