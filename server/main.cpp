// rekognition-mock: parse the command line, open the store, load fixtures, serve until a signal.

#include <malloc.h>

#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "aws_json_router.hpp"
#include "bulk_analysis_work.hpp"
#include "conformance_command.hpp"
#include "descriptor_limit.hpp"
#include "fixture_import.hpp"
#include "folder_object_store.hpp"
#include "front_door.hpp"
#include "healthcheck.hpp"
#include "http_server.hpp"
#include "job_description_json.hpp"
#include "job_store.hpp"
#include "logger.hpp"
#include "media_analysis_service.hpp"
#include "options.hpp"
#include "s3_object_store.hpp"
#include "snapshot_command.hpp"
#include "startup_phases.hpp"
#include "store_object_viewer.hpp"
#include "synthetic_jobs.hpp"
#include "version.hpp"

namespace {

using namespace rekmock;

// A fixture file with one compact job per line: large sets stay quick to write, read and diff.
int print_synthetic_fixtures(std::size_t count, std::uint64_t seed) {
    std::cout << "{\"MediaAnalysisJobs\": [";
    std::string line;
    std::size_t written = 0;
    for (const auto& job : fixtures::synthetic_jobs(count, seed)) {
        line.assign(written++ == 0 ? "\n  " : ",\n  ");
        json::JsonWriter out(line);
        protocol::write_job_description(out, job);
        std::cout << line;
    }
    std::cout << "\n]}\n";
    return std::cout.good() ? 0 : 1;
}

std::chrono::milliseconds milliseconds(double seconds) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000.0)));
}

std::string url_host(const net::tcp::endpoint& endpoint) {
    const auto address = endpoint.address();
    return address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
}

// Descriptors besides connections: stdio, the listener, epoll and its wake-ups, the store and
// its journal, a fixture file being reloaded; generously rounded up.
constexpr std::size_t kReservedDescriptors = 64;

// The connection cap, lowered if even the hard descriptor limit cannot hold it: once accept()
// fails for want of a descriptor, clients see stalls instead of waiting in the listen backlog.
net::ConnectionLimits fit_descriptor_limit(logging::Logger& log) {
    net::ConnectionLimits limits;
    const std::uint64_t wanted = limits.max_connections + kReservedDescriptors;
    const auto descriptors = net::raise_descriptor_limit(wanted);
    if (descriptors.soft < wanted) {
        limits.max_connections = static_cast<std::size_t>(
            std::max<std::uint64_t>(descriptors.soft, 2 * kReservedDescriptors) -
            kReservedDescriptors);
    }
    log.log(descriptors.soft < wanted ? logging::LogLevel::Warn : logging::LogLevel::Info,
            "descriptor limit",
            {{"soft_limit_before", descriptors.before},
             {"soft_limit", descriptors.soft},
             {"hard_limit", descriptors.hard},
             {"max_connections", limits.max_connections}});
    return limits;
}

int serve(const cli::Options& options, StartupPhases& phases) {
    logging::Logger log(options.log_level);
    try {
        const Scope default_scope{options.default_account, std::string(kDefaultRegion)};
        storage::JobStore store(options.db);
        phases.mark("store");
        // The start-up files, read again by each reset that reloads fixtures. One transaction:
        // a bad set loads nothing, and its rules are put in force only once its jobs are in.
        moderation::RuleBook rules;
        fixtures::FixtureFiles fixture_files(store, options.fixtures, default_scope, &rules,
                                             options.moderation_rules);
        const auto jobs_loaded = fixture_files.load().jobs_loaded;
        phases.mark("fixtures");
        // Reading the files took many times the memory the store keeps: give it back.
        malloc_trim(0);
        phases.mark("memory_trim");
        service::SteerableClock clock;
        service::ServiceConfig config;
        config.durations = service::LifecycleDurations{
            milliseconds(options.created_duration), milliseconds(options.queued_duration),
            milliseconds(options.in_progress_duration), options.polls_per_state};
        config.max_unfinished_jobs = options.max_unfinished_jobs;
        if (options.job_retention_days) {
            config.retention = milliseconds(*options.job_retention_days * 86400.0);
        }
        // With an object store, started jobs do their work: manifests in, outputs out.
        std::unique_ptr<objects::ObjectStore> objects;
        if (options.s3) {
            objects = std::make_unique<objects::S3ObjectStore>(*options.s3);
        } else if (options.s3_dir) {
            objects = std::make_unique<objects::FolderObjectStore>(*options.s3_dir);
        }
        const auto object_store = objects ? std::optional(objects->describe()) : std::nullopt;
        service::UsageMeter usage;
        std::unique_ptr<bulk_analysis::BulkAnalysisWork> work;
        std::unique_ptr<service::JobWorkScheduler> scheduler;
        std::unique_ptr<bulk_analysis::StoreObjectViewer> viewer;
        if (objects) {
            bulk_analysis::BulkAnalysisConfig work_config{options.image_check_lenient
                                                              ? bulk_analysis::ImageCheck::Lenient
                                                              : bulk_analysis::ImageCheck::Strict,
                                                          options.max_manifest_bytes};
            // Summaries spool their errors beside the store, on the disk the user chose for the
            // mock's data; an in-memory store leaves them to the system's temporary folder.
            if (options.db != ":memory:") {
                work_config.spool_folder = std::filesystem::absolute(options.db).parent_path();
            }
            work = std::make_unique<bulk_analysis::BulkAnalysisWork>(*objects, work_config, &rules);
            scheduler = std::make_unique<service::JobWorkScheduler>(store, clock, *work,
                                                                    options.work_threads, &usage);
            viewer = std::make_unique<bulk_analysis::StoreObjectViewer>(*objects);
        }
        service::MediaAnalysisService service(store, clock, config, scheduler.get());
        protocol::FaultInjector faults(clock);
        protocol::ThroughputQuotas quotas(options.quotas);
        protocol::RequestJournal journal;
        std::map<std::string, std::string> secrets;
        for (const auto& credential : options.credentials) {
            const auto colon = credential.find(':');
            secrets[credential.substr(0, colon)] = credential.substr(colon + 1);
        }
        const protocol::SigV4Verifier verifier(std::move(secrets), "rekognition");
        protocol::EncodedAnswers answers;
        protocol::AwsJsonRouter aws(
            service, log, options.default_account,
            protocol::RouterHooks{&faults, &journal, options.auth_sigv4 ? &verifier : nullptr,
                                  &answers, &usage, &quotas});
        control::MockControl mock_control(store, clock, fixture_files, faults, journal, &rules,
                                          scheduler.get(), viewer.get(), &usage, &quotas);
        control::ControlRouter control(
            mock_control, control::ServerInfo{.version = kVersion,
                                              .store_location = store.location(),
                                              .default_account = options.default_account,
                                              .object_store = object_store,
                                              .job_retention_days = options.job_retention_days});
        const protocol::CorsPolicy cors(options.cors_origins);
        FrontDoor front_door(aws, options.control_plane ? &control : nullptr, cors);
        const unsigned threads = options.threads != 0
                                     ? options.threads
                                     : std::max(1u, std::thread::hardware_concurrency());
        phases.mark("services");
        net::HttpServer server(
            options.host, options.port, threads, front_door, fit_descriptor_limit(log),
            [&log](const net::beast::error_code& ec, std::size_t open_connections) {
                log.log(logging::LogLevel::Warn, "accept failed; retrying every 20 ms",
                        {{"error", ec.message()},
                         {"errno", ec.value()},
                         {"open_connections", open_connections}});
            });

        const auto endpoint = server.local_endpoint();
        phases.mark("listener");
        log.log(logging::LogLevel::Info, "started",
                {{"version", kVersion},
                 {"address", url_host(endpoint) + ":" + std::to_string(endpoint.port())},
                 {"store", store.location()},
                 {"jobs_loaded", jobs_loaded},
                 {"jobs_stored", store.count()},
                 {"threads", threads},
                 {"work_threads", options.work_threads},
                 {"control_plane", options.control_plane},
                 {"object_store",
                  object_store ? object_store->kind + " " + object_store->location : "none"},
                 {"auth", options.auth_sigv4 ? "sigv4" : "none"},
                 {"cors_origins", options.cors_origins},
                 {"startup_ms", phases.milliseconds()}});
        std::cout << "listening on http://" << url_host(endpoint) << ':' << endpoint.port()
                  << std::endl;

        if (scheduler) {
            scheduler->start();  // work left pending by an earlier run is done now
        }
        constexpr std::chrono::milliseconds kGrace{900};
        server.run(kGrace);
        if (scheduler && !scheduler->stop(kGrace)) {
            // Work stuck on an object store that does not answer: it stays pending in the store
            // and is done after a restart, as after a crash. Nothing else is left to flush.
            log.log(logging::LogLevel::Warn,
                    "stopped with work in progress; it resumes at restart");
            std::cout.flush();
            std::_Exit(0);
        }
        log.log(logging::LogLevel::Info, "stopped");
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "rekognition-mock: error: " << e.what() << std::endl;
        return 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    StartupPhases phases;
    // A store that outgrows the file-size limit (ulimit -f) must fail the write with EFBIG,
    // which SQLite reports and the service answers as InternalServerError, not kill the server.
    std::signal(SIGXFSZ, SIG_IGN);
    auto parsed = cli::parse_options(argc, argv);
    if (const int* exit_code = std::get_if<int>(&parsed)) {
        return *exit_code;
    }
    if (const auto* snapshot = std::get_if<snapshot::SnapshotSettings>(&parsed)) {
        return snapshot::run_snapshot(*snapshot, objects::process_environment, std::cout,
                                      std::cerr);
    }
    if (const auto* conformance = std::get_if<conformance::ConformanceSettings>(&parsed)) {
        return conformance::run_conformance(*conformance, objects::process_environment, kVersion,
                                            std::cout, std::cerr);
    }
    const auto& options = std::get<cli::Options>(parsed);
    if (options.healthcheck) {
        return probe_health(options.host, options.port) ? 0 : 1;
    }
    if (options.generate_fixtures) {
        return print_synthetic_fixtures(*options.generate_fixtures, options.seed);
    }
    phases.mark("options");
    return serve(options, phases);
}
