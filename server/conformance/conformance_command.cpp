#include "conformance_command.hpp"

#include <array>
#include <cstdio>
#include <random>

#include "conformance_report.hpp"
#include "rekognition_client.hpp"

namespace rekmock::conformance {
namespace {

// 16 hex digits, so that the full scenario's tokens and names are its own.
std::string new_run_id() {
    std::random_device random;
    std::array<char, 17> id{};
    std::snprintf(id.data(), id.size(), "%08x%08x", random(), random());
    return id.data();
}

aws::AwsEndpointConfig endpoint_config(const std::string& url, const aws::AwsContext& context,
                                       const objects::Environment& environment) {
    aws::AwsEndpointConfig config;
    config.endpoint = url;
    config.region = context.region;
    config.credentials = context.credentials;
    config.ca_file = environment("AWS_CA_BUNDLE");
    return config;
}

}  // namespace

int run_conformance(const ConformanceSettings& settings, const objects::Environment& environment,
                    std::string_view version, std::ostream& out, std::ostream& progress) {
    const auto say = [&progress](const std::string& line) {
        progress << "conformance: " << line << std::endl;
    };
    try {
        const aws::AwsContext context = aws::resolve_aws_context(settings.aws, environment);
        const aws::RekognitionClient reference_client(
            endpoint_config(settings.reference, context, environment));
        const aws::RekognitionClient candidate_client(
            endpoint_config(settings.candidate, context, environment));
        const auto endpoint = [](const std::string& url, const aws::RekognitionClient& client) {
            return Endpoint{url, [&client](std::string_view operation, const std::string& body) {
                                return client.call_once(operation, body);
                            }};
        };
        ScenarioSettings scenario = settings.scenario;
        scenario.run_id = new_run_id();
        scenario.follow.waiting = say;

        say(scenario_name(scenario.kind) + " scenario, reference " + settings.reference +
            ", candidate " + settings.candidate + " (region " + context.region + " from " +
            context.region_source + ", credentials from " + context.credentials_source + ")");
        std::size_t made = 0;
        ConformanceReport report;
        report.version = std::string(version);
        report.reference = settings.reference;
        report.candidate = settings.candidate;
        report.region = context.region;
        report.scenario = scenario.kind;
        report.calls = run_scenario(
            scenario, endpoint(settings.reference, reference_client),
            endpoint(settings.candidate, candidate_client), [&](const CallReport& call) {
                say("[" + std::to_string(++made) + "] " + call.name + ": " + result_of(call));
            });
        const ReportSummary summary = summarise(report.calls);
        if (settings.json) {
            out << report_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
        } else {
            out << report_table(report);
        }
        out.flush();
        if (!out) {
            throw std::runtime_error("cannot write the report to standard output");
        }
        say(summary_line(summary));
        return exit_status(summary);
    } catch (const std::exception& e) {
        progress << "rekognition-mock conformance: error: " << e.what() << std::endl;
        return 1;
    }
}

}  // namespace rekmock::conformance
