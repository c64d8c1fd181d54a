#pragma once

// The embedded object store (--s3-dir DIR): bucket B's object K is the file DIR/B/K. A bucket is
// a folder that exists; the store never creates one (a missing bucket is NoSuchBucket, as on
// S3), but it creates the sub-folders a key names inside it. Writes are atomic: a temporary file
// in the target folder, renamed over the key at commit; one a killed writer left goes when the
// key is written again (temporary_file.hpp). A key has one version, the file's: a read that asks
// for a version is NoSuchKey unless DIR/.object-versions.json records that version for the key
// (folder_object_versions.hpp: `snapshot --with-outputs` writes it). No symbolic link is followed
// (open_beneath.hpp): a path through one is refused as a ".." is, so nothing outside the folder is
// ever read or written.

#include <filesystem>
#include <memory>

#include "folder_object_versions.hpp"
#include "object_store.hpp"

namespace rekmock::objects {

class FolderObjectStore final : public ObjectStore {
  public:
    // Serves the buckets under `root`, created if it does not exist (a container's empty
    // volume); std::runtime_error naming it when it is not a folder and cannot be made one.
    explicit FolderObjectStore(std::filesystem::path root);

    StoreDescription describe() const override;
    std::unique_ptr<ObjectReader> open_if_exists(const ObjectRef& object,
                                                 std::optional<std::uint64_t> prefix,
                                                 std::optional<ObjectStoreError>& missing) override;
    std::unique_ptr<ObjectWriter> create(const std::string& bucket, const std::string& key,
                                         const WriteOptions& options) override;

  private:
    std::filesystem::path root_;
    std::unique_ptr<ObjectVersionRecord> versions_;
};

}  // namespace rekmock::objects
