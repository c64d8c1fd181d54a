#include "s3_object_writer.hpp"

#include <algorithm>

#include "s3_xml.hpp"
#include "uri_encoding.hpp"

namespace rekmock::objects {

namespace http = boost::beast::http;

namespace {

// S3's small XML answers (an upload id, a completion) are far below this.
constexpr std::size_t kMaxResultBody = 1 << 20;

}  // namespace

S3ObjectWriter::S3ObjectWriter(std::shared_ptr<const S3Client> client, std::string bucket,
                               std::string key, WriteOptions options)
    : client_(std::move(client)),
      bucket_(std::move(bucket)),
      key_(std::move(key)),
      options_(std::move(options)) {}

S3ObjectWriter::~S3ObjectWriter() {
    if (state_ == State::Writing) {
        abort_upload();
    }
}

template <typename Step>
auto S3ObjectWriter::guarded(Step step) {
    if (state_ != State::Writing) {
        throw ObjectStoreError(ObjectErrorKind::InvalidRequest,
                               "S3 object s3://" + bucket_ + "/" + key_ + " is " +
                                   (state_ == State::Committed ? "already committed"
                                                               : "not writable after a failure"));
    }
    try {
        return step();
    } catch (...) {
        state_ = State::Failed;
        abort_upload();
        throw;
    }
}

void S3ObjectWriter::write(std::string_view bytes) {
    guarded([&] {
        const std::size_t part_size = client_->config().part_size;
        while (!bytes.empty()) {
            // A full buffer is sent only once more bytes come: an object of exactly one part
            // stays a single PutObject.
            if (buffer_.size() == part_size) {
                upload_part();
            }
            const std::size_t take = std::min(bytes.size(), part_size - buffer_.size());
            buffer_.append(bytes.substr(0, take));
            bytes.remove_prefix(take);
        }
    });
}

std::optional<std::string> S3ObjectWriter::commit() {
    return guarded([&] {
        std::optional<std::string> version;
        if (upload_id_) {
            upload_part();
            version = complete_upload();
        } else {
            S3Request put = request(http::verb::put, "");
            add_settings(put);
            put.body = buffer_;
            version = version_of(send(put, "PutObject"));
        }
        state_ = State::Committed;
        buffer_ = std::string();
        return version;
    });
}

S3Request S3ObjectWriter::request(http::verb method, std::string query) const {
    return S3Request{method, bucket_, key_, std::move(query), {}, {}};
}

void S3ObjectWriter::add_settings(S3Request& request) const {
    request.headers.emplace_back("Content-Type", options_.content_type);
    if (options_.kms_key_id) {
        request.headers.emplace_back("x-amz-server-side-encryption", "aws:kms");
        request.headers.emplace_back("x-amz-server-side-encryption-aws-kms-key-id",
                                     *options_.kms_key_id);
    }
}

S3Response S3ObjectWriter::send(const S3Request& request, std::string_view operation) {
    S3Response response = client_->send(request, operation);
    if (response.error()) {
        throw s3_error(*response.error(), operation, request.target());
    }
    return response;
}

std::optional<std::string> S3ObjectWriter::version_of(const S3Response& response) {
    const std::string_view version = response.header("x-amz-version-id");
    // "null" is the version of an object written while versioning was never enabled.
    if (version.empty() || version == "null") {
        return std::nullopt;
    }
    return std::string(version);
}

void S3ObjectWriter::start_upload() {
    S3Request create = request(http::verb::post, "uploads");
    add_settings(create);
    S3Response response = send(create, "CreateMultipartUpload");
    std::string result;
    try {
        result = response.read_all(kMaxResultBody);
    } catch (const std::exception& e) {
        throw ObjectStoreError(
            ObjectErrorKind::Unavailable,
            "S3 CreateMultipartUpload " + create.target() + ": reading the answer: " + e.what());
    }
    upload_id_ = xml_element_text(result, "UploadId");
    if (!upload_id_ || upload_id_->empty()) {
        upload_id_.reset();
        throw ObjectStoreError(
            ObjectErrorKind::Unavailable,
            "S3 CreateMultipartUpload " + create.target() + ": the answer names no UploadId");
    }
}

void S3ObjectWriter::upload_part() {
    if (!upload_id_) {
        start_upload();
    }
    const std::size_t number = etags_.size() + 1;
    S3Request part =
        request(http::verb::put, "partNumber=" + std::to_string(number) +
                                     "&uploadId=" + sigv4::uri_encode(*upload_id_, false));
    part.body = buffer_;
    const S3Response response = send(part, "UploadPart");
    const std::string_view etag = response.header("ETag");
    if (etag.empty()) {
        throw ObjectStoreError(ObjectErrorKind::Unavailable,
                               "S3 UploadPart " + part.target() + ": the answer has no ETag");
    }
    etags_.emplace_back(etag);
    buffer_.clear();
}

std::optional<std::string> S3ObjectWriter::complete_upload() {
    std::string parts = "<CompleteMultipartUpload>";
    for (std::size_t i = 0; i < etags_.size(); ++i) {
        parts += "<Part><PartNumber>" + std::to_string(i + 1) + "</PartNumber><ETag>" +
                 xml_escape(etags_[i]) + "</ETag></Part>";
    }
    parts += "</CompleteMultipartUpload>";
    S3Request complete =
        request(http::verb::post, "uploadId=" + sigv4::uri_encode(*upload_id_, false));
    complete.headers.emplace_back("Content-Type", "application/xml");
    complete.body = parts;
    S3Response response = send(complete, "CompleteMultipartUpload");
    std::optional<std::string> version = version_of(response);
    // S3 may answer 200 and still fail the completion, with an <Error> body.
    const S3ErrorReply reply = parse_s3_error(response.status(), response.read_all(kMaxResultBody));
    if (!reply.code.empty()) {
        throw s3_error(reply, "CompleteMultipartUpload", complete.target());
    }
    upload_id_.reset();
    return version;
}

void S3ObjectWriter::abort_upload() noexcept {
    if (!upload_id_) {
        return;
    }
    try {
        const S3Request abort =
            request(http::verb::delete_, "uploadId=" + sigv4::uri_encode(*upload_id_, false));
        client_->send(abort, "AbortMultipartUpload");
    } catch (...) {  // NOLINT(bugprone-empty-catch): best effort; S3 lifecycle rules clean up
    }
    upload_id_.reset();
}

}  // namespace rekmock::objects
