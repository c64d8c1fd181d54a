#include "aws_endpoints.hpp"

#include <algorithm>
#include <array>
#include <boost/algorithm/string/case_conv.hpp>
#include <locale>
#include <stdexcept>

#include "endpoint_url.hpp"

namespace rekmock::aws {

std::string default_endpoint(std::string_view service, std::string_view region) {
    const bool china = region.starts_with("cn-");
    return "https://" + std::string(service) + "." + std::string(region) +
           (china ? ".amazonaws.com.cn" : ".amazonaws.com");
}

bool is_aws_endpoint(std::string_view url) {
    std::string host;
    try {
        host = objects::parse_endpoint_url(url).host;
    } catch (const std::invalid_argument&) {
        return false;
    }
    boost::algorithm::to_lower(host, std::locale::classic());
    if (!host.empty() && host.back() == '.') {
        host.pop_back();
    }
    static constexpr std::array<std::string_view, 3> kDomains{".amazonaws.com", ".amazonaws.com.cn",
                                                              ".api.aws"};
    return std::any_of(kDomains.begin(), kDomains.end(),
                       [&host](std::string_view domain) { return host.ends_with(domain); });
}

}  // namespace rekmock::aws
