#pragma once

// The command line: every flag also settable by a REKOGNITION_MOCK_* environment variable
// (the flag wins when both are given).

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "conformance_settings.hpp"
#include "logger.hpp"
#include "s3_config.hpp"
#include "scope.hpp"
#include "snapshot_settings.hpp"
#include "throughput_quotas.hpp"

namespace rekmock::cli {

inline constexpr unsigned short kDefaultPort = 9595;

struct Options {
    std::string host = "127.0.0.1";
    unsigned short port = kDefaultPort;
    std::string db = ":memory:";
    std::vector<std::string> fixtures;
    std::vector<std::string> moderation_rules;  // rules documents, read at start and each reset
    unsigned threads = 0;                       // 0: one per core
    // Bounds the object-store work done at once; the I/O threads never do it.
    unsigned work_threads = 4;
    logging::LogLevel log_level = logging::LogLevel::Info;
    std::string default_account = std::string(kDefaultAccount);
    // Seconds a started job spends in CREATED, QUEUED and IN_PROGRESS.
    double created_duration = 0;
    double queued_duration = 0;
    double in_progress_duration = 0;
    // Started jobs move one state per this many GetMediaAnalysisJob calls; 0: by time.
    std::int64_t polls_per_state = 0;
    std::int64_t max_unfinished_jobs = 100;
    std::optional<double> job_retention_days;  // none: jobs never expire
    bool control_plane = true;
    bool healthcheck = false;  // probe the server at host:port and exit 0 (healthy) or 1
    bool auth_sigv4 = false;   // --auth sigv4
    std::vector<std::string> credentials;  // ACCESS_KEY_ID:SECRET
    // Origins whose pages may call the AWS API from a browser (--cors-origin); none: no CORS.
    std::vector<std::string> cors_origins;
    // Throughput quotas (--tps OPERATION=N): calls a second per account and region.
    std::vector<protocol::Quota> quotas;
    // The folder backend of the object store (--s3-dir): jobs read manifests and write outputs.
    std::optional<std::string> s3_dir;
    bool image_check_lenient = false;  // --image-check lenient
    std::uint64_t max_manifest_bytes = 512ull * 1024 * 1024;
    std::optional<std::size_t> generate_fixtures;  // print N synthetic jobs and exit
    // --s3-endpoint and its settings, completed from the AWS_* variables; none without it.
    std::optional<objects::S3Config> s3;
    std::uint64_t seed = 1;
};

// Exit codes: usage errors are 2, as with any Unix tool.
inline constexpr int kExitUsage = 2;

// The server's parsed options, a subcommand's settings (`snapshot`, `conformance`), or the exit
// code when the process should stop now (--help and --version print and give 0; a bad flag
// prints the problem and gives kExitUsage).
using ParsedCommandLine =
    std::variant<Options, snapshot::SnapshotSettings, conformance::ConformanceSettings, int>;
ParsedCommandLine parse_options(int argc, char** argv);

}  // namespace rekmock::cli
