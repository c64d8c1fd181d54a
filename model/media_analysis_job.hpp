#pragma once

// The typed record of one media analysis job, named after the API model's shapes
// (MediaAnalysisJobDescription and its members), plus what the API does not show: the scope
// (account, region) it belongs to and, for jobs started through the API, its simulated
// lifecycle. Every optional member of the model is a std::optional here so that presence
// survives the round trip storage -> wire exactly.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scope.hpp"

namespace rekmock {

// Milliseconds since the Unix epoch: the API's timestamps carry millisecond precision.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

enum class MediaAnalysisJobStatus { Created, Queued, InProgress, Succeeded, Failed };

enum class MediaAnalysisJobFailureCode {
    InternalError,
    InvalidS3Object,
    InvalidManifest,
    InvalidOutputConfig,
    InvalidKmsKey,
    AccessDenied,
    ResourceNotFound,
    ResourceNotReady,
    Throttled,
};

struct S3Object {
    std::optional<std::string> bucket;
    std::optional<std::string> name;
    std::optional<std::string> version;
    bool operator==(const S3Object&) const = default;
};

struct MediaAnalysisDetectModerationLabelsConfig {
    std::optional<double> min_confidence;
    std::optional<std::string> project_version;
    bool operator==(const MediaAnalysisDetectModerationLabelsConfig&) const = default;
};

struct MediaAnalysisOperationsConfig {
    std::optional<MediaAnalysisDetectModerationLabelsConfig> detect_moderation_labels;
    bool operator==(const MediaAnalysisOperationsConfig&) const = default;
};

struct MediaAnalysisJobFailureDetails {
    std::optional<MediaAnalysisJobFailureCode> code;
    std::optional<std::string> message;
    bool operator==(const MediaAnalysisJobFailureDetails&) const = default;
};

struct MediaAnalysisInput {
    S3Object s3_object;
    bool operator==(const MediaAnalysisInput&) const = default;
};

struct MediaAnalysisOutputConfig {
    std::string s3_bucket;
    std::optional<std::string> s3_key_prefix;
    bool operator==(const MediaAnalysisOutputConfig&) const = default;
};

struct MediaAnalysisModelVersions {
    std::optional<std::string> moderation;
    bool operator==(const MediaAnalysisModelVersions&) const = default;
};

struct MediaAnalysisResults {
    std::optional<S3Object> s3_object;
    std::optional<MediaAnalysisModelVersions> model_versions;
    bool operator==(const MediaAnalysisResults&) const = default;
};

struct MediaAnalysisManifestSummary {
    std::optional<S3Object> s3_object;
    bool operator==(const MediaAnalysisManifestSummary&) const = default;
};

// When a started job enters each state; it reaches its terminal state (the stored status) at
// its CompletionTimestamp. Fixture jobs have none: their status is what was loaded.
struct LifecycleSchedule {
    Timestamp queued_at{};
    Timestamp in_progress_at{};
    bool operator==(const LifecycleSchedule&) const = default;
};

// A rules text the store keeps once for every job that froze it (storage/rules_sets.hpp).
enum class RulesSetId : std::int64_t {};

struct MediaAnalysisJob {
    Scope scope;
    std::optional<LifecycleSchedule> schedule;
    std::string job_id;
    std::optional<std::string> job_name;
    MediaAnalysisOperationsConfig operations_config;
    MediaAnalysisJobStatus status = MediaAnalysisJobStatus::Created;
    std::optional<MediaAnalysisJobFailureDetails> failure_details;
    Timestamp creation_timestamp{};
    std::optional<Timestamp> completion_timestamp;
    MediaAnalysisInput input;
    MediaAnalysisOutputConfig output_config;
    std::optional<std::string> kms_key_id;
    std::optional<MediaAnalysisResults> results;
    std::optional<MediaAnalysisManifestSummary> manifest_summary;
    // The job's work (reading its manifest, writing Results and ManifestSummary to the object
    // store) is still to be done: set for a job started while an object store is configured,
    // cleared once the outputs are written or the job is steered past them. Until then its
    // terminal status is the planned one, not yet the outcome.
    bool outputs_pending = false;
    // The moderation rules in force when the job started, which its work applies whatever the
    // scope's rules are by then: the store keeps each distinct rules text once and the job names
    // it; never on the wire, dropped with outputs_pending.
    std::optional<RulesSetId> frozen_rules;
    // Progress by polls: the job moves one state on per `polls_per_state` GetMediaAnalysisJob
    // calls (rather than with time), having seen `polls_seen` of them; none: progress by time.
    std::optional<std::int64_t> polls_per_state;
    std::int64_t polls_seen = 0;
    bool operator==(const MediaAnalysisJob&) const = default;
};

// The model's enum spellings ("IN_PROGRESS", "INVALID_MANIFEST"): the store and the wire share
// them.
std::string_view to_string(MediaAnalysisJobStatus status);
std::string_view to_string(MediaAnalysisJobFailureCode code);
// Parses an enum spelling; std::nullopt when it is not one of the model's values.
std::optional<MediaAnalysisJobStatus> parse_job_status(std::string_view name);
std::optional<MediaAnalysisJobFailureCode> parse_failure_code(std::string_view name);
// Every spelling in model order, for error messages that list the allowed values.
std::vector<std::string_view> all_job_status_names();
std::vector<std::string_view> all_failure_code_names();
// Every failure code in model order.
std::vector<MediaAnalysisJobFailureCode> all_failure_codes();

// A position in the list order (CreationTimestamp descending, then JobId descending): the last
// job a page returned. The next page starts strictly after it.
struct JobCursor {
    Timestamp creation_timestamp{};
    std::string job_id;
    bool operator==(const JobCursor&) const = default;
};

}  // namespace rekmock
