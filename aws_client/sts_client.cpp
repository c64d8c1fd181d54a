#include "sts_client.hpp"

#include "retry_policy.hpp"
#include "s3_xml.hpp"

namespace rekmock::aws {

std::string caller_account(AwsEndpointConfig config) {
    config.service = "sts";
    const AwsHttpClient http(std::move(config));
    const AwsResponse response =
        http.post({"GetCallerIdentity",
                   {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
                   "Action=GetCallerIdentity&Version=2011-06-15"},
                  [](const AwsResponse& answer) {
                      return objects::is_retryable_status(answer.status) ||
                             objects::is_retryable_code(
                                 objects::xml_element_text(answer.body, "Code").value_or(""));
                  });
    const std::string what = "STS GetCallerIdentity at " + http.config().endpoint;
    if (response.status < 200 || response.status >= 300) {
        const auto code = objects::xml_element_text(response.body, "Code");
        const auto message = objects::xml_element_text(response.body, "Message");
        throw StsError(what + " failed: " + code.value_or("an error") + " (HTTP " +
                       std::to_string(response.status) + ")" +
                       (message ? ": " + *message : std::string()));
    }
    const auto account = objects::xml_element_text(response.body, "Account");
    if (!account || account->size() != 12 ||
        account->find_first_not_of("0123456789") != std::string::npos) {
        throw StsError(what + " answered no 12-digit Account");
    }
    return *account;
}

}  // namespace rekmock::aws
