#pragma once

// Where a job's manifest, images and outputs live: buckets of keyed objects, as S3 has them.
// A job's work (server/bulk_analysis/) reads and writes through this one interface, which the
// service never sees (service/job_work.hpp). The backends are an S3 server reached with a signed
// HTTP client (s3_object_store.hpp) and a folder (folder_object_store.hpp).
// Knows nothing of jobs, HTTP routing of the mock, or JSON.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rekmock::objects {

// One object: bucket, key and, on a versioned store, the version to read.
struct ObjectRef {
    std::string bucket;
    std::string key;
    std::optional<std::string> version;
    bool operator==(const ObjectRef&) const = default;
};

// Why an object store refused: S3's error families, which the service maps to its own codes.
enum class ObjectErrorKind {
    NoSuchBucket,    // the bucket does not exist
    NoSuchKey,       // the bucket exists, the key (or that version of it) does not
    AccessDenied,    // the store refused these credentials for this object
    InvalidRequest,  // the store cannot name or hold this object (a key it refuses, a bad range)
    Unavailable,     // the store could not be reached or kept failing after the retries
};

class ObjectStoreError : public std::runtime_error {
  public:
    ObjectStoreError(ObjectErrorKind kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    ObjectErrorKind kind() const noexcept { return kind_; }

  private:
    ObjectErrorKind kind_;
};

// A stream of one object's bytes, from its first. Not thread-safe; one reader per caller.
class ObjectReader {
  public:
    virtual ~ObjectReader() = default;
    // The whole object's size in bytes, whatever prefix this reader was opened for.
    virtual std::uint64_t size() const noexcept = 0;
    // Copies up to `capacity` next bytes into `out`; returns how many, 0 at the end (of the
    // object, or of the prefix asked for). Throws ObjectStoreError when the stream breaks.
    virtual std::size_t read(char* out, std::size_t capacity) = 0;
    // The rest of the stream in one string: for objects known to be small (an image of at
    // most 15 MB, an output a test fetches).
    std::string read_all() {
        std::string bytes;
        char chunk[64 * 1024];
        while (const std::size_t got = read(chunk, sizeof chunk)) {
            bytes.append(chunk, got);
        }
        return bytes;
    }
};

// Settings of one write, as S3's PutObject headers carry them.
struct WriteOptions {
    std::string content_type = "application/octet-stream";
    // Encrypt with this AWS KMS key (SSE-KMS); stores without encryption ignore it.
    std::optional<std::string> kms_key_id;
};

// An object being written: nothing is visible under its key until commit() returns, and a
// writer destroyed before that leaves no trace (a temporary file removed, a multipart upload
// aborted). Not thread-safe.
class ObjectWriter {
  public:
    virtual ~ObjectWriter() = default;
    // Appends `bytes`; throws ObjectStoreError.
    virtual void write(std::string_view bytes) = 0;
    // Makes the object visible; returns the version the store gave it (versioned buckets only).
    // Throws ObjectStoreError, and the object is then not written.
    virtual std::optional<std::string> commit() = 0;
};

// Which backend holds the objects and where, for logs and the health report: {"folder",
// "/data/s3"} or {"s3", "http://127.0.0.1:5000"}.
struct StoreDescription {
    std::string kind;
    std::string location;
    bool operator==(const StoreDescription&) const = default;
};

class ObjectStore {
  public:
    virtual ~ObjectStore() = default;
    virtual StoreDescription describe() const = 0;
    // Opens `object` to read its first `prefix` bytes (all of it when std::nullopt): an image
    // check needs only the header. An object that does not exist is an answer, not an
    // exception (a manifest may name thousands): nullptr, with `missing` set to why
    // (NoSuchBucket or NoSuchKey). Throws ObjectStoreError for every other failure.
    virtual std::unique_ptr<ObjectReader> open_if_exists(
        const ObjectRef& object, std::optional<std::uint64_t> prefix,
        std::optional<ObjectStoreError>& missing) = 0;

    // The same, throwing ObjectStoreError for a missing object too.
    std::unique_ptr<ObjectReader> open(const ObjectRef& object,
                                       std::optional<std::uint64_t> prefix) {
        std::optional<ObjectStoreError> missing;
        auto reader = open_if_exists(object, prefix, missing);
        if (!reader) {
            throw ObjectStoreError(*missing);
        }
        return reader;
    }
    // Starts writing `bucket`/`key`; throws ObjectStoreError here or at commit().
    virtual std::unique_ptr<ObjectWriter> create(const std::string& bucket, const std::string& key,
                                                 const WriteOptions& options) = 0;
};

}  // namespace rekmock::objects
