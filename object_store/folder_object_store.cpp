#include "folder_object_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "file_descriptor.hpp"
#include "open_beneath.hpp"
#include "temporary_file.hpp"

namespace rekmock::objects {
namespace {

namespace fs = std::filesystem;

std::string describe_errno(int error) {
    return std::generic_category().message(error);
}

ObjectErrorKind kind_of(int error) {
    switch (error) {
        case ENOENT:
        case ENOTDIR:
        case EISDIR:
            return ObjectErrorKind::NoSuchKey;
        case EACCES:
        case EPERM:
        case EROFS:
            return ObjectErrorKind::AccessDenied;
        case ENAMETOOLONG:
            return ObjectErrorKind::InvalidRequest;
        default:
            return ObjectErrorKind::Unavailable;
    }
}

[[noreturn]] void fail(int error, const std::string& what, const fs::path& path) {
    throw ObjectStoreError(kind_of(error),
                           what + " " + path.string() + ": " + describe_errno(error));
}

class FileReader final : public ObjectReader {
  public:
    // Reads the open regular file `fd` of `size` bytes, up to `prefix` of them.
    FileReader(fs::path path, int fd, std::uint64_t size, std::optional<std::uint64_t> prefix)
        : path_(std::move(path)),
          fd_(fd),
          size_(size),
          remaining_(prefix ? std::min(*prefix, size) : size) {}

    std::uint64_t size() const noexcept override { return size_; }

    std::size_t read(char* out, std::size_t capacity) override {
        const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(capacity, remaining_));
        if (wanted == 0) {
            return 0;
        }
        ssize_t got = 0;
        do {
            got = ::read(fd_.get(), out, wanted);
        } while (got < 0 && errno == EINTR);
        if (got < 0) {
            fail(errno, "cannot read", path_);
        }
        remaining_ -= static_cast<std::uint64_t>(got);
        return static_cast<std::size_t>(got);
    }

  private:
    fs::path path_;
    FileDescriptor fd_;
    std::uint64_t size_ = 0;
    std::uint64_t remaining_ = 0;
};

// Writes `name` in the open folder `folder`, never following a symbolic link: the temporary
// file is created, never a link followed to it, and renaming over a link replaces the link.
// Writes are gathered into kBufferBytes: a results file comes a line at a time, and a write(2)
// per line cost more than the line's own work.
class FileWriter final : public ObjectWriter {
  public:
    FileWriter(fs::path target, FileDescriptor folder, std::string name)
        : target_(std::move(target)), folder_(std::move(folder)), name_(std::move(name)) {
        try {
            temporary_ = claim_temporary(folder_.get(), name_);
        } catch (const std::system_error& e) {
            fail(e.code().value(), "cannot write", target_);
        }
        buffer_.reserve(kBufferBytes);
    }

    ~FileWriter() override {
        // Unlinked before its descriptor closes, so no other writer takes it for a dead one's.
        if (!committed_ && temporary_) {
            ::unlinkat(folder_.get(), temporary_->name.c_str(), 0);
        }
    }

    void write(std::string_view bytes) override {
        if (buffer_.size() + bytes.size() > kBufferBytes) {
            flush();
        }
        if (bytes.size() >= kBufferBytes) {
            write_out(bytes);
            return;
        }
        buffer_.append(bytes);
    }

    std::optional<std::string> commit() override {
        flush();
        // The data reaches the disk before the name does, so a crash leaves the old object or
        // the new one, never a torn one. A second descriptor keeps the file locked from the
        // close (which reports what a deferred write may only show there) to the rename, or to
        // the unlink of a failed commit: unlocked, another writer may take the slot over.
        FileDescriptor& fd = temporary_->fd;
        const FileDescriptor lock(::dup(fd.get()));
        if (lock.get() < 0 || ::fdatasync(fd.get()) != 0 || fd.close() != 0 ||
            ::renameat(folder_.get(), temporary_->name.c_str(), folder_.get(), name_.c_str()) !=
                0) {
            const int error = errno;
            ::unlinkat(folder_.get(), temporary_->name.c_str(), 0);
            temporary_.reset();
            fail(error, "cannot write", target_);
        }
        committed_ = true;
        return std::nullopt;
    }

  private:
    static constexpr std::size_t kBufferBytes = 64 * 1024;

    void flush() {
        write_out(buffer_);
        buffer_.clear();
    }

    void write_out(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t wrote = ::write(temporary_->fd.get(), bytes.data(), bytes.size());
            if (wrote < 0) {
                if (errno == EINTR) {
                    continue;
                }
                fail(errno, "cannot write", target_);
            }
            bytes.remove_prefix(static_cast<std::size_t>(wrote));
        }
    }

    fs::path target_;
    FileDescriptor folder_;
    std::string name_;
    std::optional<TemporaryFile> temporary_;
    std::string buffer_;  // written, not yet handed to the file
    bool committed_ = false;
};

[[noreturn]] void refuse(const std::string& bucket, const std::string& key,
                         const std::string& why) {
    throw ObjectStoreError(ObjectErrorKind::InvalidRequest,
                           "the folder store cannot hold s3://" + bucket + "/" + key + ": " + why);
}

// The refusal of a path through a symbolic link (ELOOP from open_beneath), which could lead
// anywhere: out of the folder as surely as "..".
[[noreturn]] void refuse_link(const std::string& bucket, const std::string& key) {
    refuse(bucket, key,
           "its bucket, a folder on its path or the key itself is a symbolic link, and the folder "
           "store follows none");
}

bool leaves_folder(int error) {
    return error == ELOOP || error == EXDEV;
}

// InvalidRequest for a name that would leave the bucket's folder or cannot be a file ("..",
// empty segments, a leading or trailing '/').
void check_names(const std::string& bucket, const std::string& key) {
    if (bucket.empty() || bucket == "." || bucket == ".." ||
        bucket.find_first_of(std::string_view("/\0", 2)) != std::string::npos) {
        refuse(bucket, key, "the bucket is not a folder name");
    }
    if (key.empty() || key.front() == '/' || key.back() == '/' ||
        key.find('\0') != std::string::npos) {
        refuse(bucket, key,
               "a key names a file below the bucket, without a leading or trailing '/'");
    }
    std::string_view rest = key;
    while (!rest.empty()) {
        const std::size_t slash = rest.find('/');
        const std::string_view segment = rest.substr(0, slash);
        if (segment.empty() || segment == "." || segment == "..") {
            refuse(bucket, key, "a key segment is empty, '.' or '..'");
        }
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    }
}

ObjectStoreError no_such_bucket(const fs::path& root, const std::string& bucket) {
    return ObjectStoreError(
        ObjectErrorKind::NoSuchBucket,
        "the bucket " + bucket + " does not exist (no folder " + (root / bucket).string() + ")");
}

// The folder store's root, opened as named: it is the user's choice (a link to a volume is fine).
// Opened for each call, so a root replaced while the server runs is the one used.
FileDescriptor open_root(const fs::path& root, const std::string& bucket) {
    FileDescriptor top(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (top.get() < 0) {
        if (errno == ENOENT) {
            throw no_such_bucket(root, bucket);
        }
        fail(errno, "cannot open the folder store", root);
    }
    return top;
}

// The folder of `bucket` (named for `key`'s errors), opened beneath `root` without following a
// symbolic link; NoSuchBucket when there is none, InvalidRequest when it is a link.
FileDescriptor open_bucket(const fs::path& root, const std::string& bucket,
                           const std::string& key) {
    const FileDescriptor top = open_root(root, bucket);
    FileDescriptor folder(open_beneath(top.get(), bucket, O_PATH | O_DIRECTORY));
    if (folder.get() < 0) {
        const int error = errno;
        if (leaves_folder(error)) {
            refuse_link(bucket, key);
        }
        if (error == ENOENT || error == ENOTDIR) {
            throw no_such_bucket(root, bucket);
        }
        fail(error, "cannot open the bucket", root / bucket);
    }
    return folder;
}

// NoSuchBucket unless `bucket` is a folder beneath the open root `top` (InvalidRequest when it
// is a link), as open_bucket judges it, without opening it.
void check_bucket(int top, const fs::path& root, const std::string& bucket,
                  const std::string& key) {
    struct stat info {};
    if (::fstatat(top, bucket.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            throw no_such_bucket(root, bucket);
        }
        fail(errno, "cannot open the bucket", root / bucket);
    }
    if (S_ISLNK(info.st_mode)) {
        refuse_link(bucket, key);
    }
    if (!S_ISDIR(info.st_mode)) {
        throw no_such_bucket(root, bucket);
    }
}

bool folder_exists(const fs::path& path) {
    std::error_code error;
    return fs::is_directory(path, error);
}

}  // namespace

FolderObjectStore::FolderObjectStore(fs::path root)
    : root_(std::move(root)), versions_(std::make_unique<ObjectVersionRecord>(root_)) {
    std::error_code error;
    fs::create_directories(root_, error);
    if (!folder_exists(root_)) {
        throw std::runtime_error("--s3-dir " + root_.string() + " is not a folder" +
                                 (error ? " and cannot be created: " + error.message() : ""));
    }
}

StoreDescription FolderObjectStore::describe() const {
    return {"folder", root_.string()};
}

std::unique_ptr<ObjectReader> FolderObjectStore::open_if_exists(
    const ObjectRef& object, std::optional<std::uint64_t> prefix,
    std::optional<ObjectStoreError>& missing) {
    check_names(object.bucket, object.key);
    const auto path = [&] { return root_ / object.bucket / object.key; };
    const auto absent = [&](const std::string& why) -> std::unique_ptr<ObjectReader> {
        missing =
            ObjectStoreError(ObjectErrorKind::NoSuchKey, "no object s3://" + object.bucket + "/" +
                                                             object.key + " (" + why + ")");
        return nullptr;
    };
    if (object.version) {
        open_bucket(root_, object.bucket, object.key);  // NoSuchBucket comes first
        const auto recorded = versions_->version_of(object.bucket, object.key);
        if (recorded != object.version) {
            return absent(
                recorded
                    ? "the folder store holds its version " + *recorded + ", not " + *object.version
                    : "the folder store records no version of it, so none is " + *object.version);
        }
    }
    // Bucket and key in one lookup: a job reads one object per manifest line, and the bucket is
    // told apart from the key only when the object is missing. O_NONBLOCK: a FIFO planted under
    // a key must not block the job.
    const FileDescriptor root = open_root(root_, object.bucket);
    std::string relative;
    relative.reserve(object.bucket.size() + 1 + object.key.size());
    relative.append(object.bucket).append(1, '/').append(object.key);
    FileDescriptor fd(open_beneath(root.get(), relative, O_RDONLY | O_NONBLOCK));
    if (fd.get() < 0) {
        const int error = errno;
        if (leaves_folder(error)) {
            refuse_link(object.bucket, object.key);
        }
        if (error == ENOENT || error == ENOTDIR) {
            check_bucket(root.get(), root_, object.bucket, object.key);
            return absent(path().string() + " does not exist");
        }
        fail(error, "cannot read", path());
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        fail(errno, "cannot read", path());
    }
    // Only regular files are objects: a folder is a key prefix.
    if (!S_ISREG(info.st_mode)) {
        return absent(path().string() + " is not a regular file");
    }
    const int raw = fd.release();
    return std::make_unique<FileReader>(path(), raw, static_cast<std::uint64_t>(info.st_size),
                                        prefix);
}

std::unique_ptr<ObjectWriter> FolderObjectStore::create(const std::string& bucket,
                                                        const std::string& key,
                                                        const WriteOptions& /*options*/) {
    check_names(bucket, key);
    fs::path path = root_ / bucket / key;
    FileDescriptor folder = open_bucket(root_, bucket, key);
    std::string_view rest = key;
    // Each prefix folder made and entered in turn, so none can be a link made to lead out.
    for (std::size_t slash = rest.find('/'); slash != std::string_view::npos;
         slash = rest.find('/')) {
        const std::string segment(rest.substr(0, slash));
        rest.remove_prefix(slash + 1);
        if (::mkdirat(folder.get(), segment.c_str(), 0755) != 0 && errno != EEXIST) {
            fail(errno, "cannot create the folder for", path);
        }
        FileDescriptor next(open_beneath(folder.get(), segment, O_PATH | O_DIRECTORY));
        if (next.get() < 0) {
            if (leaves_folder(errno)) {
                refuse_link(bucket, key);
            }
            fail(errno, "cannot create the folder for", path);
        }
        folder = std::move(next);
    }
    return std::make_unique<FileWriter>(std::move(path), std::move(folder), std::string(rest));
}

}  // namespace rekmock::objects
