#pragma once

// The embedded object store (--s3-dir DIR): bucket B's object K is the file DIR/B/K. A bucket is
// a folder that exists; the store never creates one (a missing bucket is NoSuchBucket, as on
// S3), but it creates the sub-folders a key names inside it. Writes are atomic: a temporary file
// in the target folder, renamed over the key at commit. There are no versions: a read that asks
// for one is NoSuchKey.

#include <filesystem>

#include "object_store.hpp"

namespace rekmock::objects {

class FolderObjectStore final : public ObjectStore {
  public:
    // Serves the buckets under `root`, created if it does not exist (a container's empty
    // volume); std::runtime_error naming it when it is not a folder and cannot be made one.
    explicit FolderObjectStore(std::filesystem::path root);

    std::string describe() const override;
    std::unique_ptr<ObjectReader> open_if_exists(const ObjectRef& object,
                                                 std::optional<std::uint64_t> prefix,
                                                 std::optional<ObjectStoreError>& missing) override;
    std::unique_ptr<ObjectWriter> create(const std::string& bucket, const std::string& key,
                                         const WriteOptions& options) override;

  private:
    // The file for `bucket`/`key`; ObjectStoreError (InvalidRequest) for a name that would
    // leave the bucket's folder or cannot be a file ("..", empty segments, a trailing '/').
    std::filesystem::path file_for(const std::string& bucket, const std::string& key) const;
    // ObjectStoreError (NoSuchBucket) unless the bucket's folder exists.
    ObjectStoreError no_such_bucket(const std::string& bucket) const;
    bool bucket_exists(const std::string& bucket) const;
    std::filesystem::path root_;
};

}  // namespace rekmock::objects
