#include "options.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <vector>

#include "aws_command_flags.hpp"
#include "comma_list.hpp"
#include "conformance_flags.hpp"
#include "cors_policy.hpp"
#include "operations.hpp"
#include "revision.hpp"
#include "snapshot_flags.hpp"
#include "version.hpp"

namespace rekmock::cli {

ParsedCommandLine parse_options(int argc, char** argv) {
    Options options;
    snapshot::SnapshotSettings snapshot;
    conformance::ConformanceSettings conformance;
    // CLI11 reads "" as 0 for numbers; an empty value is a mistake, never a choice.
    const CLI::Validator& non_empty = kNonEmptyFlag;
    // CLI11's Range lets NaN through (every comparison with NaN is false).
    const CLI::Validator finite(
        [](const std::string& value) {
            const double number = std::strtod(value.c_str(), nullptr);
            return std::isfinite(number) ? "" : "value must be a finite number";
        },
        "FINITE");
    CLI::App app{"rekognition-mock: a local mock of Amazon Rekognition's media analysis jobs API",
                 "rekognition-mock"};
    app.set_version_flag("--version",
                         std::string("rekognition-mock ") + kVersion + " (" + kRevision + ")");
    app.get_formatter()->column_width(34);

    // Checked as the listener will read it, so a bad address is a usage error naming the flag.
    const CLI::Validator ip_address(
        [](const std::string& value) {
            boost::system::error_code ec;
            boost::asio::ip::make_address(value, ec);
            return ec ? "must be an IPv4 or IPv6 address" : "";
        },
        "IP");
    app.add_option("--host", options.host, "Address to listen on (an IPv4 or IPv6 address)")
        ->check(ip_address)
        ->envname("REKOGNITION_MOCK_HOST")
        ->capture_default_str();
    app.add_option("--port", options.port, "TCP port; 0 picks a free one (printed on start)")
        ->check(non_empty)
        ->envname("REKOGNITION_MOCK_PORT")
        ->capture_default_str();
    app.add_option("--db", options.db, "SQLite file, or :memory: for an embedded private store")
        ->check(non_empty)
        ->envname("REKOGNITION_MOCK_DB")
        ->capture_default_str();
    app.add_option("--fixtures", options.fixtures,
                   "Fixture file, or folder of *.json files, to load at start; repeatable "
                   "(env: comma-separated)")
        ->envname("REKOGNITION_MOCK_FIXTURES")
        ->delimiter(',')
        ->check(CLI::ExistingPath);
    app.add_option("--moderation-rules", options.moderation_rules,
                   "Moderation rules file ({\"ModerationRules\": [...]}, see the README) scripting "
                   "what jobs find in each image; repeatable (env: comma-separated)")
        ->envname("REKOGNITION_MOCK_MODERATION_RULES")
        ->delimiter(',')
        ->check(CLI::ExistingFile);
    app.add_option("--polls-per-state", options.polls_per_state,
                   "Started jobs move one state (CREATED, QUEUED, IN_PROGRESS, then SUCCEEDED or "
                   "FAILED) per N GetMediaAnalysisJob calls instead of with time; 0: by time")
        ->envname("REKOGNITION_MOCK_POLLS_PER_STATE")
        ->check(non_empty & CLI::Range(std::int64_t{0}, std::int64_t{1'000'000}))
        ->capture_default_str();
    app.add_option("--threads", options.threads, "I/O threads; 0 means one per core")
        ->check(non_empty)
        ->envname("REKOGNITION_MOCK_THREADS")
        ->check(CLI::Range(0u, 256u))
        ->capture_default_str();
    app.add_option("--work-threads", options.work_threads,
                   "Threads that reach the object store (jobs' work, Start's manifest check, "
                   "control-plane reads of outputs and images); I/O threads never wait on it")
        ->check(non_empty)
        ->envname("REKOGNITION_MOCK_WORK_THREADS")
        ->check(CLI::Range(1u, 256u))
        ->capture_default_str();
    std::string log_level = "info";
    app.add_option("--log-level", log_level, "debug, info, warn, error or off")
        ->envname("REKOGNITION_MOCK_LOG_LEVEL")
        ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}))
        ->capture_default_str();
    app.add_option("--default-account", options.default_account,
                   "Account of callers whose access key id is not a 12-digit account id")
        ->envname("REKOGNITION_MOCK_DEFAULT_ACCOUNT")
        ->check(CLI::Validator(
            [](const std::string& value) {
                return is_account_id(value) ? std::string() : "must be 12 digits";
            },
            "ACCOUNT"))
        ->capture_default_str();
    std::optional<double> job_duration;
    app.add_option("--job-duration", job_duration,
                   "Seconds from start to SUCCEEDED/FAILED, split evenly over CREATED, QUEUED "
                   "and IN_PROGRESS (0: terminal at once)")
        ->envname("REKOGNITION_MOCK_JOB_DURATION")
        ->check(non_empty & finite & CLI::Range(0.0, 86400.0 * 365));
    auto* created = app.add_option("--created-duration", options.created_duration,
                                   "Seconds a started job stays CREATED (overrides the split)")
                        ->envname("REKOGNITION_MOCK_CREATED_DURATION")
                        ->check(non_empty & finite & CLI::Range(0.0, 86400.0 * 365));
    auto* queued = app.add_option("--queued-duration", options.queued_duration,
                                  "Seconds a started job stays QUEUED (overrides the split)")
                       ->envname("REKOGNITION_MOCK_QUEUED_DURATION")
                       ->check(non_empty & finite & CLI::Range(0.0, 86400.0 * 365));
    auto* in_progress =
        app.add_option("--in-progress-duration", options.in_progress_duration,
                       "Seconds a started job stays IN_PROGRESS (overrides the split)")
            ->envname("REKOGNITION_MOCK_IN_PROGRESS_DURATION")
            ->check(non_empty & finite & CLI::Range(0.0, 86400.0 * 365));
    app.add_option("--max-unfinished-jobs", options.max_unfinished_jobs,
                   "LimitExceededException once an account and region has this many unfinished "
                   "jobs")
        ->envname("REKOGNITION_MOCK_MAX_UNFINISHED_JOBS")
        ->check(non_empty & CLI::Range(std::int64_t{0}, std::int64_t{1'000'000'000}))
        ->capture_default_str();
    app.add_option("--job-retention-days", options.job_retention_days,
                   "Jobs created more than N days ago (on the lifecycle clock) vanish from List "
                   "and Get, as AWS keeps a job's details for a year; off by default")
        ->envname("REKOGNITION_MOCK_JOB_RETENTION_DAYS")
        ->check(non_empty & finite & CLI::Range(0.001, 36500.0));
    std::string auth = "none";
    app.add_option("--auth", auth,
                   "none: accept any credentials; sigv4: verify AWS Signature V4 against "
                   "--credential")
        ->envname("REKOGNITION_MOCK_AUTH")
        ->check(CLI::IsMember({"none", "sigv4"}))
        ->capture_default_str();
    app.add_option("--credential", options.credentials,
                   "ACCESS_KEY_ID:SECRET_ACCESS_KEY accepted by --auth sigv4; repeatable (env: "
                   "comma-separated)")
        ->envname("REKOGNITION_MOCK_CREDENTIALS")
        ->delimiter(',')
        ->check(CLI::Validator(
            [](const std::string& value) {
                const auto colon = value.find(':');
                return colon == std::string::npos || colon == 0 || colon + 1 == value.size()
                           ? std::string("must be ACCESS_KEY_ID:SECRET_ACCESS_KEY")
                           : std::string();
            },
            "KEY:SECRET"));
    app.add_option("--cors-origin", options.cors_origins,
                   "Origin (http://localhost:5173) whose pages may call the AWS API from a "
                   "browser (CORS), or * for any (local use only); repeatable (env: "
                   "comma-separated). The control plane stays same-origin")
        ->envname("REKOGNITION_MOCK_CORS_ORIGINS")
        ->delimiter(',')
        ->check(CLI::Validator(
            [](const std::string& value) {
                return protocol::CorsPolicy::valid_origin(value)
                           ? std::string()
                           : std::string("must be scheme://host[:port] (no path) or *");
            },
            "ORIGIN"));
    std::vector<std::string> tps;
    app.add_option("--tps", tps,
                   "OPERATION=N: at most N calls a second of that operation per account and "
                   "region (a token bucket, burst N); more are answered "
                   "ProvisionedThroughputExceededException; repeatable (env: comma-separated)")
        ->envname("REKOGNITION_MOCK_TPS")
        ->delimiter(',')
        ->check(CLI::Validator(
            [](const std::string& value) {
                return protocol::parse_quota(value, protocol::operation_names())
                           ? std::string()
                           : "must be OPERATION=N, OPERATION one of " +
                                 comma_list(protocol::operation_names()) +
                                 " and N a number of calls a second above 0";
            },
            "OPERATION=N"));
    app.add_option("--s3-dir", options.s3_dir,
                   "Folder of buckets (DIR/<bucket>/<key>; created if missing, buckets never) "
                   "that started jobs read manifests and images from and write results to; "
                   "without an object store jobs only name their outputs")
        ->envname("REKOGNITION_MOCK_S3_DIR")
        ->check(non_empty);
    std::string image_check = "strict";
    app.add_option("--image-check", image_check,
                   "strict: every manifest image must exist and be a JPEG or PNG within AWS's "
                   "limits; lenient: images that do not exist pass")
        ->envname("REKOGNITION_MOCK_IMAGE_CHECK")
        ->check(CLI::IsMember({"strict", "lenient"}))
        ->capture_default_str();
    app.add_option("--max-manifest-bytes", options.max_manifest_bytes,
                   "StartMediaAnalysisJob refuses a larger input manifest "
                   "(InvalidManifestException)")
        ->envname("REKOGNITION_MOCK_MAX_MANIFEST_BYTES")
        ->check(non_empty & CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40))
        ->capture_default_str();
    objects::S3Settings s3;
    const std::string s3_group = "S3 (the store of manifests, images and outputs)";
    app.add_option("--s3-endpoint", s3.endpoint,
                   "S3-compatible server: http(s)://host:port[/prefix], path-style buckets")
        ->envname("REKOGNITION_MOCK_S3_ENDPOINT")
        ->check(non_empty)
        ->group(s3_group);
    const auto s3_option = [&](const char* flag, std::optional<std::string>& value,
                               const char* help, const char* env) {
        return app.add_option(flag, value, help)->envname(env)->check(non_empty)->group(s3_group);
    };
    std::vector<CLI::Option*> s3_settings = {
        s3_option("--s3-region", s3.region,
                  "Its region; else AWS_REGION, AWS_DEFAULT_REGION, us-east-1",
                  "REKOGNITION_MOCK_S3_REGION"),
        s3_option("--s3-access-key-id", s3.access_key_id,
                  "Its access key id; else AWS_ACCESS_KEY_ID", "REKOGNITION_MOCK_S3_ACCESS_KEY_ID"),
        s3_option("--s3-secret-access-key", s3.secret_access_key,
                  "Its secret access key; else AWS_SECRET_ACCESS_KEY",
                  "REKOGNITION_MOCK_S3_SECRET_ACCESS_KEY"),
        s3_option("--s3-session-token", s3.session_token,
                  "A session token of those keys; else AWS_SESSION_TOKEN with the AWS_ keys",
                  "REKOGNITION_MOCK_S3_SESSION_TOKEN"),
        s3_option("--s3-ca-file", s3.ca_file,
                  "PEM file of the CAs to trust for https (a test server's own certificate)",
                  "REKOGNITION_MOCK_S3_CA_FILE")
            ->check(CLI::ExistingFile),
    };
    // Seconds, as every duration of the command line; a millisecond is the finest step.
    std::optional<double> s3_connect_timeout;
    std::optional<double> s3_read_timeout;
    std::optional<double> s3_deadline;
    const auto s3_seconds = [&](const char* flag, std::optional<double>& value, const char* help,
                                const char* env) {
        return app.add_option(flag, value, help)
            ->envname(env)
            ->check(non_empty & finite & CLI::Range(0.001, 86400.0))
            ->group(s3_group);
    };
    for (CLI::Option* timing : {
             s3_seconds("--s3-connect-timeout", s3_connect_timeout,
                        "Seconds to connect to it (TCP and TLS) before the attempt fails "
                        "(default 5)",
                        "REKOGNITION_MOCK_S3_CONNECT_TIMEOUT"),
             s3_seconds("--s3-read-timeout", s3_read_timeout,
                        "Seconds each read or write of a request may wait before the attempt "
                        "fails (default 30)",
                        "REKOGNITION_MOCK_S3_READ_TIMEOUT"),
             s3_seconds("--s3-deadline", s3_deadline,
                        "Seconds one request may spend on it in all: connecting, its answer and "
                        "the whole body, retries included (default 60)",
                        "REKOGNITION_MOCK_S3_DEADLINE"),
         }) {
        s3_settings.push_back(timing);
    }
    bool no_control_plane = false;
    app.add_flag("--no-control-plane", no_control_plane,
                 "Serve only the AWS API: no /_mock/ endpoints (they are unauthenticated)")
        ->envname("REKOGNITION_MOCK_NO_CONTROL_PLANE");
    app.add_flag("--healthcheck", options.healthcheck,
                 "Probe the server at --host/--port; exit 0 if it answers, 1 if not (for "
                 "container HEALTHCHECKs)");
    app.add_option("--generate-fixtures", options.generate_fixtures,
                   "Print N synthetic valid jobs in the fixture format and exit")
        ->check(CLI::Range(std::size_t{0}, std::size_t{10'000'000}));
    app.add_option("--seed", options.seed, "Seed for --generate-fixtures")->capture_default_str();
    const CLI::App* snapshot_command = add_snapshot_command(app, snapshot);
    const CLI::App* conformance_command = add_conformance_command(app, conformance);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return kExitUsage;
    }
    for (const CLI::App* command : {snapshot_command, conformance_command}) {
        // The server's flags mean nothing to it: given before it, they would be ignored silently.
        if (command->parsed() && (argc < 2 || std::string_view(argv[1]) != command->get_name())) {
            std::cerr << command->get_name()
                      << " must be the first argument: the server's flags do not apply to it\n";
            return kExitUsage;
        }
    }
    if (snapshot_command->parsed()) {
        return snapshot;
    }
    if (conformance_command->parsed()) {
        return conformance;
    }
    options.image_check_lenient = image_check == "lenient";
    if (job_duration) {
        const double share = *job_duration / 3.0;
        for (auto [option, seconds] : {std::pair{created, &options.created_duration},
                                       std::pair{queued, &options.queued_duration},
                                       std::pair{in_progress, &options.in_progress_duration}}) {
            if (option->count() == 0) {
                *seconds = share;
            }
        }
    }
    for (const auto& text : tps) {
        const auto quota = protocol::parse_quota(text, protocol::operation_names());
        // One quota per operation: the last given wins, as a flag given twice does.
        std::erase_if(options.quotas,
                      [&](const auto& q) { return q.operation == quota->operation; });
        options.quotas.push_back(*quota);
    }
    options.control_plane = !no_control_plane;
    options.auth_sigv4 = auth == "sigv4";
    if (options.auth_sigv4 && options.credentials.empty()) {
        std::cerr << "--auth sigv4 needs at least one --credential ACCESS_KEY_ID:SECRET\n";
        return kExitUsage;
    }
    if (!s3.endpoint.empty()) {
        const auto milliseconds = [](const std::optional<double>& seconds) {
            return seconds ? std::optional(std::chrono::milliseconds(std::llround(*seconds * 1000)))
                           : std::nullopt;
        };
        s3.connect_timeout = milliseconds(s3_connect_timeout);
        s3.request_timeout = milliseconds(s3_read_timeout);
        s3.deadline = milliseconds(s3_deadline);
        // An S3 server wins over a folder: the container image sets --s3-dir by default.
        options.s3_dir.reset();
        try {
            options.s3 = objects::make_s3_config(s3);
        } catch (const std::invalid_argument& e) {
            std::cerr << "--s3-endpoint: " << e.what() << "\n";
            return kExitUsage;
        }
    } else {
        for (const CLI::Option* setting : s3_settings) {
            if (setting->count() > 0) {
                std::cerr << setting->get_name() << " needs --s3-endpoint\n";
                return kExitUsage;
            }
        }
    }
    // IsMember above admits only names that parse.
    options.log_level = *logging::parse_log_level(log_level);
    return options;
}

}  // namespace rekmock::cli
