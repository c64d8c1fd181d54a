#include "byte_stream_body.hpp"
#include "control_endpoints.hpp"
#include "results_page.hpp"

namespace rekmock::control {
namespace {

// Objects up to this size are answered whole, with an ETag a poller revalidates; larger ones
// stream, so an answer holds no more than a streamed response's chunk of either.
constexpr std::uint64_t kWholeAnswerBytes = 64 * 1024;

// `bytes`, an object's, as a verbatim answer of `content_type`.
Reply object_reply(ControlState& state, std::unique_ptr<service::ByteStream> bytes,
                   std::string content_type) {
    if (bytes->size() > kWholeAnswerBytes) {
        return Reply{http::status::ok,
                     {},
                     std::move(content_type),
                     true,
                     {},
                     std::make_shared<ByteStreamBody>(std::move(bytes), state.control)};
    }
    return Reply{http::status::ok, read_whole(*bytes), std::move(content_type), true};
}

// A job's output as the object store holds it; the scope comes from the query, as for dumps.
// A results file may be read a page of lines at a time (results_page.hpp).
Reply job_output(ControlState& state, const ControlRequest& request, JobOutput which) {
    const Scope scope = query_scope(state, request);
    const bool results = which == JobOutput::Results;
    const auto page_query = results ? parse_results_page_query(request.target.query) : std::nullopt;
    try {
        auto bytes = state.control.output(scope, request.params.at("JobId"), which);
        if (!page_query) {
            return object_reply(state, std::move(bytes),
                                results ? "application/jsonl" : "application/json");
        }
        ResultsPage page = read_results_page(*bytes, *page_query);
        Reply reply{http::status::ok, std::move(page.lines), "application/jsonl", true};
        if (page.next) {
            reply.headers.emplace_back(kNextTokenHeader, results_page_token(*page.next));
        }
        return reply;
    } catch (const OutputUnavailable& e) {
        not_found(e.what());
    }
}

}  // namespace

Reply job_results(ControlState& state, const ControlRequest& request) {
    return job_output(state, request, JobOutput::Results);
}

Reply job_manifest_summary(ControlState& state, const ControlRequest& request) {
    return job_output(state, request, JobOutput::ManifestSummary);
}

// An image a results line names, for the browser view's table of results; JPEG and PNG only.
Reply image(ControlState& state, const ControlRequest& request) {
    const auto bucket = request.query("Bucket");
    const auto key = request.query("Key");
    if (!bucket || bucket->empty() || !key || key->empty()) {
        bad_request("Bucket and Key must name the image (VersionId is optional)");
    }
    try {
        service::ImageStream image =
            state.control.image(S3Object{*bucket, *key, request.query("VersionId")});
        return object_reply(state, std::move(image.bytes), std::move(image.content_type));
    } catch (const OutputUnavailable& e) {
        not_found(e.what());
    }
}

}  // namespace rekmock::control
