#include "signed_request.hpp"

#include <chrono>
#include <string>

namespace rekmock::objects {

S3HttpRequest signed_request(const sigv4::Signer& signer, boost::beast::http::verb method,
                             std::string_view path, std::string_view query,
                             std::span<const sigv4::HeaderView> headers,
                             std::string_view payload_hash, std::string_view body) {
    std::string target(path);
    if (!query.empty()) {
        target.append(1, '?').append(query);
    }
    S3HttpRequest request{method, target, 11};
    for (const auto& [name, value] : headers) {
        request.set(name, value);
    }
    for (const auto& [name, value] :
         signer.sign({request.method_string(), path, query, headers, payload_hash},
                     std::chrono::system_clock::now())) {
        request.set(name, value);
    }
    request.set(boost::beast::http::field::user_agent, "rekognition-mock");
    request.body() = {body.data(), body.size()};
    request.keep_alive(true);
    request.prepare_payload();
    return request;
}

}  // namespace rekmock::objects
