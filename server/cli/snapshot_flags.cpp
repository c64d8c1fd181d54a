#include "snapshot_flags.hpp"

#include <memory>
#include <stdexcept>
#include <vector>

#include "aws_command_flags.hpp"

namespace rekmock::cli {

CLI::App* add_snapshot_command(CLI::App& app, snapshot::SnapshotSettings& settings) {
    CLI::App* command = app.add_subcommand(
        "snapshot",
        "Copy the jobs of a Rekognition endpoint (AWS's by default) into a fixture document "
        "that --fixtures and POST /_mock/jobs load (snapshot --help: its flags)");
    command->get_formatter()->column_width(34);
    command
        ->add_option("--endpoint", settings.endpoint,
                     "Rekognition endpoint to read; default https://rekognition.<region>."
                     "amazonaws.com")
        ->check(kEndpointUrlFlag);
    add_aws_flags(*command, settings.aws);
    const auto statuses = all_job_status_names();
    const std::vector<std::string> status_names(statuses.begin(), statuses.end());
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
            ->check(kNonEmptyFlag);
    command
        ->add_option("--s3-endpoint", settings.s3_endpoint,
                     "S3 server to read them from, path-style; default "
                     "https://s3.<region>.amazonaws.com")
        ->check(kEndpointUrlFlag)
        ->needs(with_outputs);
    command
        ->add_option(
            "--output", settings.output,
            "File to write the document to (replaced whole); default, or -, standard output")
        ->check(kNonEmptyFlag);
    return command;
}

}  // namespace rekmock::cli
