#include "s3_object_store.hpp"

#include <algorithm>

#include "s3_client.hpp"
#include "s3_object_reader.hpp"
#include "s3_object_writer.hpp"
#include "uri_encoding.hpp"
#include "whole_number.hpp"

namespace rekmock::objects {

S3ObjectStore::S3ObjectStore(const S3Config& config)
    : client_(std::make_shared<const S3Client>(config)) {}

StoreDescription S3ObjectStore::describe() const {
    return {"s3", client_->config().endpoint};
}

std::unique_ptr<ObjectReader> S3ObjectStore::open_if_exists(
    const ObjectRef& object, std::optional<std::uint64_t> prefix,
    std::optional<ObjectStoreError>& missing) {
    S3Request get;
    get.bucket = object.bucket;
    get.key = object.key;
    if (object.version) {
        get.query = "versionId=" + sigv4::uri_encode(*object.version, false);
    }
    if (prefix) {
        // A range cannot be empty: a 0-byte prefix asks for one byte and reads none.
        get.headers.emplace_back(
            "Range", "bytes=0-" + std::to_string(std::max<std::uint64_t>(*prefix, 1) - 1));
    }
    S3Response response = client_->send(get, "GetObject");
    if (const auto& error = response.error()) {
        // Every range of an empty object is unsatisfiable; any other object has byte 0.
        if (prefix && error->status == 416) {
            return std::make_unique<S3ObjectReader>(std::move(response), 0, 0, get.target());
        }
        ObjectStoreError refused = s3_error(*error, "GetObject", get.target());
        if (refused.kind() == ObjectErrorKind::NoSuchKey ||
            refused.kind() == ObjectErrorKind::NoSuchBucket) {
            missing = std::move(refused);
            return nullptr;
        }
        throw refused;
    }
    std::optional<std::uint64_t> size;
    if (response.status() == 206) {
        size = content_range_size(response.header("Content-Range"));
    } else {
        size = whole_number<std::uint64_t>(response.header("Content-Length"));
    }
    if (!size) {
        throw ObjectStoreError(ObjectErrorKind::Unavailable,
                               "S3 GetObject " + get.target() + ": HTTP " +
                                   std::to_string(response.status()) +
                                   " without the object's size (Content-Length or Content-Range)");
    }
    return std::make_unique<S3ObjectReader>(std::move(response), *size, prefix.value_or(*size),
                                            get.target());
}

std::unique_ptr<ObjectWriter> S3ObjectStore::create(const std::string& bucket,
                                                    const std::string& key,
                                                    const WriteOptions& options) {
    return std::make_unique<S3ObjectWriter>(client_, bucket, key, options);
}

}  // namespace rekmock::objects
