#pragma once

// ObjectStore on an S3-compatible server (AWS S3, MinIO, moto, LocalStack): path-style requests
// (/bucket/key), each signed with SigV4; kept-alive connections shared by the threads using the
// store; bounded retries. Reads stream (a prefix read asks for just that range); writes buffer a
// part and become a multipart upload past the part size.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "object_store.hpp"
#include "s3_config.hpp"

namespace rekmock::objects {

class S3Client;

class S3ObjectStore final : public ObjectStore {
  public:
    // Throws std::invalid_argument when `config` is unusable (see validate()); connects on first
    // use. Thread-safe; its readers and writers may outlive it.
    explicit S3ObjectStore(const S3Config& config);

    StoreDescription describe() const override;
    // GetObject (with a Range for a prefix, versionId for a version).
    std::unique_ptr<ObjectReader> open_if_exists(const ObjectRef& object,
                                                 std::optional<std::uint64_t> prefix,
                                                 std::optional<ObjectStoreError>& missing) override;
    // PutObject at commit(), or a multipart upload once more than a part is written.
    std::unique_ptr<ObjectWriter> create(const std::string& bucket, const std::string& key,
                                         const WriteOptions& options) override;

  private:
    std::shared_ptr<const S3Client> client_;
};

}  // namespace rekmock::objects
