#pragma once

// The versions a folder store's objects had on a versioned S3 bucket, recorded beside them in
// DIR/.object-versions.json (a file, so no bucket can be named like it: buckets are folders).
// `rekognition-mock snapshot --with-outputs` writes it as it copies objects by version; the
// folder store reads it, so that a job naming an object's `Version` finds the file it was copied
// to. A folder store still holds one version of each key: the file's.
//
// {"ObjectVersions": [{"Bucket": "media-in", "Key": "m.jsonl", "Version": "3HL4kqtJ..."}, ...]}

#include <sys/types.h>

#include <compare>
#include <ctime>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace rekmock::objects {

inline constexpr std::string_view kObjectVersionsFile = ".object-versions.json";

struct ObjectKey {
    std::string bucket;
    std::string key;
    auto operator<=>(const ObjectKey&) const = default;
};

// Each recorded object's version.
using ObjectVersions = std::map<ObjectKey, std::string>;

// The record of the folder store `root`; empty when it has none. Throws ObjectStoreError
// (Unavailable) naming the file when it cannot be read or is not such a record.
ObjectVersions read_object_versions(const std::filesystem::path& root);

// Replaces the record of `root` with `versions`, whole or not at all (a temporary file renamed
// over it). Throws ObjectStoreError naming the file.
void write_object_versions(const std::filesystem::path& root, const ObjectVersions& versions);

// The record of one folder store as it reads it: read again only when the file changed (size,
// time, inode), so a record rewritten while the store serves is seen. Thread-safe.
class ObjectVersionRecord {
  public:
    explicit ObjectVersionRecord(std::filesystem::path root) : root_(std::move(root)) {}

    // The version recorded for `bucket`/`key`; std::nullopt when none is. Throws as
    // read_object_versions().
    std::optional<std::string> version_of(const std::string& bucket, const std::string& key);

  private:
    struct Identity {
        dev_t device = 0;
        ino_t inode = 0;
        off_t size = -1;
        std::timespec modified{};
        bool operator==(const Identity& other) const noexcept;
    };

    std::filesystem::path root_;
    std::mutex mutex_;
    std::optional<Identity> read_;  // the file the cache holds; none while there was no file
    ObjectVersions versions_;
};

}  // namespace rekmock::objects
