#include "snapshot_flags.hpp"

#include <memory>
#include <stdexcept>
#include <vector>

#include "endpoint_url.hpp"

namespace rekmock::cli {
namespace {

constexpr const char* kCredentialsFooter =
    "Credentials, as the AWS CLI finds them: with --profile, that profile's; otherwise\n"
    "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, else the profile named by\n"
    "AWS_PROFILE (else default) in ~/.aws/credentials and ~/.aws/config "
    "(AWS_SHARED_CREDENTIALS_FILE\n"
    "and AWS_CONFIG_FILE move them): static keys and session tokens only. NOT read: SSO (IAM\n"
    "Identity Center), credential_process, web identity tokens, assume-role profiles (role_arn),\n"
    "container and instance metadata; export such a profile's keys first, e.g.\n"
    "  eval \"$(aws configure export-credentials --profile NAME --format env)\"\n"
    "Region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region. AWS_CA_BUNDLE names\n"
    "CAs to trust for https. Secrets are never printed.";

const CLI::Validator kEndpointUrl(
    [](const std::string& value) {
        try {
            objects::parse_endpoint_url(value);
            return std::string();
        } catch (const std::invalid_argument& e) {
            return std::string(e.what());
        }
    },
    "URL");

const CLI::Validator kNonEmpty(
    [](const std::string& value) { return value.empty() ? "value must not be empty" : ""; },
    "NONEMPTY");

}  // namespace

CLI::App* add_snapshot_command(CLI::App& app, snapshot::SnapshotSettings& settings) {
    CLI::App* command = app.add_subcommand(
        "snapshot",
        "Copy the jobs of a Rekognition endpoint (AWS's by default) into a fixture document "
        "that --fixtures and POST /_mock/jobs load (snapshot --help: its flags)");
    command->footer(kCredentialsFooter);
    command->get_formatter()->column_width(34);
    command
        ->add_option("--endpoint", settings.endpoint,
                     "Rekognition endpoint to read; default https://rekognition.<region>."
                     "amazonaws.com")
        ->check(kEndpointUrl);
    command->add_option("--region", settings.aws.region, "AWS region of the jobs")
        ->check(kNonEmpty);
    command
        ->add_option("--profile", settings.aws.profile, "Profile of ~/.aws/credentials and config")
        ->check(kNonEmpty);
    std::vector<std::string> status_names;
    for (const std::string_view name : all_job_status_names()) {
        status_names.emplace_back(name);
    }
    // Kept alive by the callback that reads it, which the subcommand owns.
    auto names = std::make_shared<std::vector<std::string>>();
    command
        ->add_option("--status", *names,
                     "Keep only the jobs listed in this status; repeatable or comma-separated")
        ->delimiter(',')
        ->check(CLI::IsMember(status_names));
    command->callback([&settings, names] {
        // IsMember above admits only names that parse.
        for (const std::string& name : *names) {
            settings.statuses.push_back(*parse_job_status(name));
        }
    });
    command->add_option("--max-jobs", settings.max_jobs, "Keep at most N jobs, the newest first")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}));
    auto* with_outputs =
        command
            ->add_option("--with-outputs", settings.outputs_dir,
                         "Also copy each job's input manifest and, for SUCCEEDED jobs, results "
                         "and manifest summary into DIR/<bucket>/<key> (serve them with "
                         "--s3-dir DIR)")
            ->check(kNonEmpty);
    command
        ->add_option("--s3-endpoint", settings.s3_endpoint,
                     "S3 server to read them from, path-style; default "
                     "https://s3.<region>.amazonaws.com")
        ->check(kEndpointUrl)
        ->needs(with_outputs);
    command
        ->add_option(
            "--output", settings.output,
            "File to write the document to (replaced whole); default, or -, standard output")
        ->check(kNonEmpty);
    return command;
}

}  // namespace rekmock::cli
