#include "snapshot_command.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <utility>

#include "aws_endpoints.hpp"
#include "folder_object_store.hpp"
#include "json_members.hpp"
#include "output_copy.hpp"
#include "rekognition_client.hpp"
#include "s3_object_store.hpp"
#include "snapshot_document.hpp"
#include "snapshot_job.hpp"
#include "sts_client.hpp"
#include "whole_file.hpp"

namespace rekmock::snapshot {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using rekmock::json::string_member;

constexpr int kPageSize = 100;  // ListMediaAnalysisJobs' largest page
constexpr std::size_t kGetsPerProgressLine = 100;
// One object read from S3 in all (its retries included): results files may be large.
constexpr std::chrono::milliseconds kObjectDeadline{std::chrono::hours(1)};

// A job the document leaves out, and why.
struct LeftOut {
    std::string job_id;
    std::string reason;
};

class Snapshot {
  public:
    Snapshot(const SnapshotSettings& settings, const objects::Environment& environment,
             std::ostream& progress)
        : settings_(settings),
          environment_(environment),
          progress_(progress),
          context_(aws::resolve_aws_context(settings.aws, environment)),
          endpoint_(
              settings.endpoint.value_or(aws::default_endpoint("rekognition", context_.region))),
          client_(endpoint_config(endpoint_)) {}

    SnapshotDocument run() {
        say("reading " + endpoint_ + " in " + context_.region + " (region from " +
            context_.region_source + ", credentials from " + context_.credentials_source + ")");
        SnapshotDocument document;
        document.region = context_.region;
        document.account_id = account();
        const std::vector<json> listed = list();
        std::size_t read = 0;
        for (const json& description : listed) {
            add(document, read_whole(description));
            if (++read % kGetsPerProgressLine == 0 || read == listed.size()) {
                say(std::to_string(read) + "/" + std::to_string(listed.size()) + " jobs read");
            }
        }
        return document;
    }

    // What the source answered that the document cannot give back: said once, at the end.
    void report() const {
        if (!differences_.empty()) {
            say("the mock will answer some members otherwise than the source did:");
            for (const auto& [path, jobs] : differences_) {
                progress_ << "  " << path << ": " << jobs.second << " job(s), for example "
                          << jobs.first << "\n";
            }
        }
        if (!left_out_.empty()) {
            say(std::to_string(left_out_.size()) + " job(s) left out, which the mock cannot hold:");
            for (const LeftOut& job : left_out_) {
                progress_ << "  " << job.job_id << ": " << job.reason << "\n";
            }
        }
    }

    void say(const std::string& line) const { progress_ << "snapshot: " << line << std::endl; }

    // --with-outputs: the objects `document`'s jobs name, from S3 into the folder.
    void copy_outputs(const SnapshotDocument& document, const fs::path& folder) const {
        objects::S3Config s3;
        s3.endpoint = settings_.s3_endpoint.value_or(aws::default_endpoint("s3", context_.region));
        s3.region = context_.region;
        s3.access_key_id = context_.credentials.access_key_id;
        s3.secret_access_key = context_.credentials.secret_access_key;
        s3.session_token = context_.credentials.session_token;
        s3.ca_file = environment_("AWS_CA_BUNDLE");
        s3.max_attempts = kAttemptsPerCall;
        s3.deadline = kObjectDeadline;
        say("copying the jobs' objects from " + s3.endpoint + " into " + folder.string());
        objects::S3ObjectStore source(s3);
        const OutputCopyReport report = snapshot::copy_outputs(
            document.jobs, source, folder, [this](const std::string& line) { say(line); });
        say(std::to_string(report.copied) + " objects copied, " + std::to_string(report.bytes) +
            " bytes");
        if (!report.not_copied.empty()) {
            say(std::to_string(report.not_copied.size()) + " not copied:");
            for (const NotCopied& object : report.not_copied) {
                progress_ << "  " << object.object << ", " << object.named_by << ": "
                          << object.reason << "\n";
            }
        }
    }

  private:
    aws::AwsEndpointConfig endpoint_config(const std::string& endpoint) const {
        aws::AwsEndpointConfig config;
        config.endpoint = endpoint;
        config.region = context_.region;
        config.credentials = context_.credentials;
        config.ca_file = environment_("AWS_CA_BUNDLE");
        config.max_attempts = kAttemptsPerCall;
        return config;
    }

    // The account the jobs belong to: STS's answer for AWS's endpoints; for another (this mock,
    // LocalStack) the access key id when it is an account id, as they read it; else none.
    std::optional<std::string> account() const {
        if (aws::is_aws_endpoint(endpoint_)) {
            std::string account =
                aws::caller_account(endpoint_config(aws::default_endpoint("sts", context_.region)));
            say("account " + account + " (STS GetCallerIdentity)");
            return account;
        }
        if (is_account_id(context_.credentials.access_key_id)) {
            say("account " + context_.credentials.access_key_id +
                " (the access key id, as the mock reads it)");
            return context_.credentials.access_key_id;
        }
        say("no account: the document loads into the loading mock's --default-account");
        return std::nullopt;
    }

    bool wanted(const json& description) const {
        if (settings_.statuses.empty()) {
            return true;
        }
        const auto status = string_member(description, "Status");
        const auto parsed = status ? parse_job_status(*status) : std::nullopt;
        return parsed && std::find(settings_.statuses.begin(), settings_.statuses.end(), *parsed) !=
                             settings_.statuses.end();
    }

    // Every page, in order, until the last or until --max-jobs are kept: the kept descriptions.
    std::vector<json> list() const {
        std::vector<json> kept;
        std::optional<std::string> token;
        std::size_t listed = 0;
        for (std::size_t page = 1;; ++page) {
            const json answer = client_.list_media_analysis_jobs(kPageSize, token);
            const auto jobs = answer.find("MediaAnalysisJobs");
            if (jobs == answer.end() || !jobs->is_array()) {
                throw std::runtime_error("ListMediaAnalysisJobs at " + endpoint_ +
                                         " answered no MediaAnalysisJobs array");
            }
            for (const json& description : *jobs) {
                ++listed;
                if (wanted(description) &&
                    (!settings_.max_jobs || kept.size() < *settings_.max_jobs)) {
                    kept.push_back(description);
                }
            }
            say("page " + std::to_string(page) + ": " + std::to_string(jobs->size()) + " jobs (" +
                std::to_string(listed) + " listed, " + std::to_string(kept.size()) + " kept)");
            const auto next = string_member(answer, "NextToken");
            if (!next || (settings_.max_jobs && kept.size() >= *settings_.max_jobs)) {
                return kept;
            }
            if (token == next) {
                throw std::runtime_error("ListMediaAnalysisJobs at " + endpoint_ +
                                         " answered the NextToken it was given: it would never "
                                         "end");
            }
            token = next;
        }
    }

    // The job `description` lists, as GetMediaAnalysisJob answers it (a list's descriptions may
    // leave members out); the description itself when the job is gone meanwhile.
    json read_whole(const json& description) {
        const auto id = string_member(description, "JobId");
        if (!id) {
            return description;  // add() says why it cannot be kept
        }
        try {
            return client_.get_media_analysis_job(*id);
        } catch (const aws::RekognitionError& e) {
            if (e.error().type != "ResourceNotFoundException") {
                throw;
            }
            say("job " + *id + " is gone since it was listed: its listed description is kept");
            return description;
        }
    }

    void add(SnapshotDocument& document, const json& answer) {
        const std::string job_id = string_member(answer, "JobId").value_or("(no JobId)");
        try {
            SnapshotJob copied = snapshot_job(answer);
            for (const std::string& path : copied.differences) {
                auto& seen = differences_[path];
                if (seen.second++ == 0) {
                    seen.first = job_id;
                }
            }
            copied.job.scope =
                Scope{document.account_id.value_or(std::string(kDefaultAccount)), document.region};
            document.jobs.push_back(std::move(copied.job));
        } catch (const std::runtime_error& e) {
            left_out_.push_back({job_id, e.what()});
        }
    }

    const SnapshotSettings& settings_;
    const objects::Environment& environment_;
    std::ostream& progress_;
    aws::AwsContext context_;
    std::string endpoint_;
    aws::RekognitionClient client_;
    // By JSON Pointer: the first job answered otherwise, and how many were.
    std::map<std::string, std::pair<std::string, std::size_t>> differences_;
    std::vector<LeftOut> left_out_;
};

}  // namespace

int run_snapshot(const SnapshotSettings& settings, const objects::Environment& environment,
                 std::ostream& out, std::ostream& progress) {
    try {
        if (settings.outputs_dir) {
            // Made now, or refused before anything is read: not after the document is written.
            objects::FolderObjectStore made(*settings.outputs_dir);
        }
        Snapshot snapshot(settings, environment, progress);
        const SnapshotDocument document = snapshot.run();
        const std::string text = write_snapshot_document(document);
        check_loads_back(text, document);
        const bool to_file = settings.output && *settings.output != "-";
        if (to_file) {
            objects::write_whole_file(*settings.output, text);
        } else {
            out << text << std::flush;
            if (!out) {
                throw std::runtime_error("cannot write the document to standard output");
            }
        }
        snapshot.say("wrote " + std::to_string(document.jobs.size()) + " jobs to " +
                     (to_file ? *settings.output : std::string("standard output")));
        snapshot.report();
        if (settings.outputs_dir) {
            snapshot.copy_outputs(document, *settings.outputs_dir);
        }
        return 0;
    } catch (const std::exception& e) {
        progress << "rekognition-mock snapshot: error: " << e.what() << std::endl;
        return 1;
    }
}

}  // namespace rekmock::snapshot
