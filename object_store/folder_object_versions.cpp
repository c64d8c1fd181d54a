#include "folder_object_versions.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "file_descriptor.hpp"
#include "object_store.hpp"
#include "open_beneath.hpp"
#include "whole_file.hpp"

namespace rekmock::objects {
namespace {

namespace fs = std::filesystem;

// A record this large is no snapshot's.
constexpr off_t kMaxRecordBytes = off_t{256} << 20;

[[noreturn]] void unusable(const fs::path& file, const std::string& why) {
    throw ObjectStoreError(ObjectErrorKind::Unavailable,
                           "the folder store's version record " + file.string() + " " + why);
}

// The record file opened beneath `root` (no symbolic link followed, a FIFO never waited on);
// -1 with errno ENOENT when there is none.
FileDescriptor open_record(const fs::path& root) {
    const FileDescriptor top(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (top.get() < 0) {
        return FileDescriptor(-1);
    }
    return FileDescriptor(open_beneath(top.get(), kObjectVersionsFile, O_RDONLY | O_NONBLOCK));
}

ObjectVersions parse_record(const std::string& text, const fs::path& file) {
    const nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
    const auto list = document.is_object() ? document.find("ObjectVersions") : document.end();
    if (list == document.end() || !list->is_array()) {
        unusable(file, "is not {\"ObjectVersions\": [...]}");
    }
    ObjectVersions versions;
    for (const nlohmann::json& entry : *list) {
        const auto text_of = [&](const char* name) {
            const auto member = entry.is_object() ? entry.find(name) : entry.end();
            if (member == entry.end() || !member->is_string()) {
                unusable(file, std::string("has an entry without a string ") + name);
            }
            return member->get<std::string>();
        };
        versions[ObjectKey{text_of("Bucket"), text_of("Key")}] = text_of("Version");
    }
    return versions;
}

// The text of the open regular file `fd` of `size` bytes.
std::string read_whole(int fd, off_t size, const fs::path& file) {
    std::string text(static_cast<std::size_t>(size), '\0');
    std::size_t got = 0;
    while (got < text.size()) {
        const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            unusable(file, n < 0 ? std::string("cannot be read: ") + std::strerror(errno)
                                 : "shrank while it was read");
        }
        got += static_cast<std::size_t>(n);
    }
    return text;
}

struct stat regular_file_status(int fd, const fs::path& file) {
    struct stat status {};
    if (::fstat(fd, &status) != 0) {
        unusable(file, std::string("cannot be read: ") + std::strerror(errno));
    }
    if (!S_ISREG(status.st_mode) || status.st_size > kMaxRecordBytes) {
        unusable(file, "is not a regular file of at most 256 MiB");
    }
    return status;
}

}  // namespace

ObjectVersions read_object_versions(const fs::path& root) {
    const fs::path file = root / kObjectVersionsFile;
    const FileDescriptor fd = open_record(root);
    if (fd.get() < 0) {
        const int error = errno;
        if (error == ENOENT) {
            return {};
        }
        unusable(file, std::string("cannot be opened: ") + std::strerror(error));
    }
    const struct stat status = regular_file_status(fd.get(), file);
    return parse_record(read_whole(fd.get(), status.st_size, file), file);
}

void write_object_versions(const fs::path& root, const ObjectVersions& versions) {
    const fs::path file = root / kObjectVersionsFile;
    // One entry a line, in bucket and key order: a record kept in a repository diffs well.
    std::string text = "{\"ObjectVersions\": [";
    bool first = true;
    for (const auto& [object, version] : versions) {
        text += first ? "\n  " : ",\n  ";
        first = false;
        text += nlohmann::json{{"Bucket", object.bucket}, {"Key", object.key}, {"Version", version}}
                    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    text += first ? "]}\n" : "\n]}\n";

    try {
        write_whole_file(file, text);
    } catch (const std::runtime_error& e) {
        throw ObjectStoreError(ObjectErrorKind::Unavailable, e.what());
    }
}

bool ObjectVersionRecord::Identity::operator==(const Identity& other) const noexcept {
    return device == other.device && inode == other.inode && size == other.size &&
           modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec;
}

std::optional<std::string> ObjectVersionRecord::version_of(const std::string& bucket,
                                                           const std::string& key) {
    const fs::path file = root_ / kObjectVersionsFile;
    const FileDescriptor fd = open_record(root_);
    const int open_error = fd.get() < 0 ? errno : 0;
    const std::lock_guard lock(mutex_);
    if (fd.get() < 0) {
        if (open_error != ENOENT) {
            unusable(file, std::string("cannot be opened: ") + std::strerror(open_error));
        }
        read_.reset();
        versions_.clear();
    } else {
        const struct stat status = regular_file_status(fd.get(), file);
        const Identity identity{status.st_dev, status.st_ino, status.st_size, status.st_mtim};
        if (read_ != identity) {
            versions_ = parse_record(read_whole(fd.get(), status.st_size, file), file);
            read_ = identity;
        }
    }
    const auto found = versions_.find(ObjectKey{bucket, key});
    return found == versions_.end() ? std::nullopt : std::optional(found->second);
}

}  // namespace rekmock::objects
