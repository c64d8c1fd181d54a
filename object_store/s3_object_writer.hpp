#pragma once

// An object being written to S3: up to a part it is buffered and sent as one PutObject at
// commit(); past that it is a multipart upload (CreateMultipartUpload, one UploadPart per full
// part, CompleteMultipartUpload at commit()), aborted when it fails or is never committed.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "object_store.hpp"
#include "s3_client.hpp"

namespace rekmock::objects {

class S3ObjectWriter final : public ObjectWriter {
  public:
    S3ObjectWriter(std::shared_ptr<const S3Client> client, std::string bucket, std::string key,
                   WriteOptions options);
    S3ObjectWriter(const S3ObjectWriter&) = delete;
    S3ObjectWriter& operator=(const S3ObjectWriter&) = delete;
    // Aborts a multipart upload that was started and not completed.
    ~S3ObjectWriter() override;

    void write(std::string_view bytes) override;
    std::optional<std::string> commit() override;

  private:
    enum class State { Writing, Committed, Failed };

    // A request on this object, carrying `query`.
    S3Request request(boost::beast::http::verb method, std::string query) const;
    // Adds the object's settings (Content-Type, SSE-KMS): PutObject and CreateMultipartUpload
    // carry them, the parts do not.
    void add_settings(S3Request& request) const;
    // `request` sent; its answer unless it is an error, which is thrown (naming `operation`).
    S3Response send(const S3Request& request, std::string_view operation);
    // The version S3 gave the object, from a PutObject or CompleteMultipartUpload answer.
    static std::optional<std::string> version_of(const S3Response& response);
    void start_upload();
    void upload_part();  // the buffer as the next part
    std::optional<std::string> complete_upload();
    void abort_upload() noexcept;
    // Runs `step`; when it throws, aborts the upload and leaves the writer failed.
    template <typename Step>
    auto guarded(Step step);

    std::shared_ptr<const S3Client> client_;
    std::string bucket_;
    std::string key_;
    WriteOptions options_;
    std::string buffer_;
    std::optional<std::string> upload_id_;
    std::vector<std::string> etags_;  // of parts 1, 2, ...
    State state_ = State::Writing;
};

}  // namespace rekmock::objects
