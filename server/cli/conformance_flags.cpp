#include "conformance_flags.hpp"

#include <memory>

#include "aws_command_flags.hpp"
#include "manifest_entry.hpp"

namespace rekmock::cli {
namespace {

const CLI::Validator kS3Uri(
    [](const std::string& value) {
        return bulk_analysis::parse_s3_uri(value) ? std::string() : "value must be s3://bucket/key";
    },
    "S3URI");

}  // namespace

CLI::App* add_conformance_command(CLI::App& app, conformance::ConformanceSettings& settings) {
    CLI::App* command = app.add_subcommand(
        "conformance",
        "Make the same calls to two Rekognition endpoints (AWS's and this mock, say) and report "
        "every difference in their answers (conformance --help: its flags)");
    command->get_formatter()->column_width(34);
    command
        ->add_option("--reference", settings.reference,
                     "Endpoint whose answers are right: https://rekognition.<region>."
                     "amazonaws.com")
        ->required()
        ->check(kEndpointUrlFlag);
    command
        ->add_option("--candidate", settings.candidate,
                     "Endpoint checked against it: this mock's URL")
        ->required()
        ->check(kEndpointUrlFlag);
    add_aws_flags(*command, settings.aws);
    // Kept alive by the callback that reads them, which the subcommand owns.
    auto scenario = std::make_shared<std::string>("read-only");
    command
        ->add_option("--scenario", *scenario,
                     "read-only (the default) changes nothing on either side; full also starts "
                     "jobs on --manifest and follows them to their end")
        ->check(CLI::IsMember({"read-only", "full"}));
    auto manifest = std::make_shared<std::string>();
    auto* manifest_flag =
        command
            ->add_option("--manifest", *manifest,
                         "s3://bucket/key of an input manifest both endpoints can read (full)")
            ->check(kS3Uri);
    auto* output_flag = command
                            ->add_option("--output-bucket", settings.scenario.output_bucket,
                                         "Bucket both endpoints may write the jobs' outputs to "
                                         "(full)")
                            ->check(kNonEmptyFlag);
    manifest_flag->needs(output_flag);
    output_flag->needs(manifest_flag);
    command->add_flag("--json", settings.json,
                      "Print the report as one JSON document (for CI) instead of a table");
    command->callback([&settings, scenario, manifest, manifest_flag] {
        const bool full = *scenario == "full";
        settings.scenario.kind =
            full ? conformance::ScenarioKind::Full : conformance::ScenarioKind::ReadOnly;
        if (full && manifest_flag->count() == 0) {
            throw CLI::ValidationError("--scenario full",
                                       "needs --manifest s3://bucket/key and --output-bucket B");
        }
        if (!full && manifest_flag->count() != 0) {
            throw CLI::ValidationError("--manifest", "is for --scenario full only");
        }
        if (full) {
            // kS3Uri admitted it.
            const auto parsed = bulk_analysis::parse_s3_uri(*manifest);
            settings.scenario.manifest_bucket = parsed->bucket;
            settings.scenario.manifest_key = parsed->key;
        }
    });
    return command;
}

}  // namespace rekmock::cli
