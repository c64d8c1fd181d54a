#include "folder_object_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <random>
#include <system_error>
#include <utility>

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

// Owns one file descriptor.
class FileDescriptor {
  public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const noexcept { return fd_; }
    // Gives up ownership.
    int release() noexcept { return std::exchange(fd_, -1); }
    // Closes now, reporting the error a deferred write may only show here.
    int close() noexcept {
        const int result = ::close(fd_);
        fd_ = -1;
        return result;
    }

  private:
    int fd_;
};

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

// A name no key can collide with: keys never start with ".rekmock-tmp-" by accident, and the
// random tail keeps concurrent writers of one key apart.
fs::path temporary_beside(const fs::path& target) {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    return target.parent_path() /
           (".rekmock-tmp-" + std::to_string(random()) + "-" + target.filename().string());
}

class FileWriter final : public ObjectWriter {
  public:
    explicit FileWriter(fs::path target)
        : target_(std::move(target)),
          temporary_(temporary_beside(target_)),
          fd_(::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) {
        if (fd_.get() < 0) {
            fail(errno, "cannot write", target_);
        }
    }

    ~FileWriter() override {
        if (!committed_) {
            ::unlink(temporary_.c_str());
        }
    }

    void write(std::string_view bytes) override {
        while (!bytes.empty()) {
            const ssize_t wrote = ::write(fd_.get(), bytes.data(), bytes.size());
            if (wrote < 0) {
                if (errno == EINTR) {
                    continue;
                }
                fail(errno, "cannot write", target_);
            }
            bytes.remove_prefix(static_cast<std::size_t>(wrote));
        }
    }

    std::optional<std::string> commit() override {
        // The data reaches the disk before the name does, so a crash leaves the old object or
        // the new one, never a torn one.
        if (::fdatasync(fd_.get()) != 0 || fd_.close() != 0) {
            fail(errno, "cannot write", target_);
        }
        if (::rename(temporary_.c_str(), target_.c_str()) != 0) {
            fail(errno, "cannot write", target_);
        }
        committed_ = true;
        return std::nullopt;
    }

  private:
    fs::path target_;
    fs::path temporary_;
    FileDescriptor fd_;
    bool committed_ = false;
};

bool folder_exists(const fs::path& path) {
    std::error_code error;
    return fs::is_directory(path, error);
}

}  // namespace

FolderObjectStore::FolderObjectStore(fs::path root) : root_(std::move(root)) {
    std::error_code error;
    fs::create_directories(root_, error);
    if (!folder_exists(root_)) {
        throw std::runtime_error("--s3-dir " + root_.string() + " is not a folder" +
                                 (error ? " and cannot be created: " + error.message() : ""));
    }
}

std::string FolderObjectStore::describe() const {
    return "folder " + root_.string();
}

fs::path FolderObjectStore::file_for(const std::string& bucket, const std::string& key) const {
    const auto refuse = [&](const std::string& why) -> void {
        throw ObjectStoreError(
            ObjectErrorKind::InvalidRequest,
            "the folder store cannot hold s3://" + bucket + "/" + key + ": " + why);
    };
    if (bucket.empty() || bucket == "." || bucket == ".." ||
        bucket.find_first_of(std::string_view("/\0", 2)) != std::string::npos) {
        refuse("the bucket is not a folder name");
    }
    if (key.empty() || key.front() == '/' || key.back() == '/' ||
        key.find('\0') != std::string::npos) {
        refuse("a key names a file below the bucket, without a leading or trailing '/'");
    }
    fs::path path = root_ / bucket;
    std::string_view rest = key;
    while (!rest.empty()) {
        const std::size_t slash = rest.find('/');
        const std::string_view segment = rest.substr(0, slash);
        if (segment.empty() || segment == "." || segment == "..") {
            refuse("a key segment is empty, '.' or '..'");
        }
        path /= std::string(segment);
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    }
    if (!folder_exists(root_ / bucket)) {
        throw ObjectStoreError(ObjectErrorKind::NoSuchBucket, "the bucket " + bucket +
                                                                  " does not exist (no folder " +
                                                                  (root_ / bucket).string() + ")");
    }
    return path;
}

bool FolderObjectStore::bucket_exists(const std::string& bucket) const {
    return folder_exists(root_ / bucket);
}

ObjectStoreError FolderObjectStore::no_such_bucket(const std::string& bucket) const {
    return ObjectStoreError(
        ObjectErrorKind::NoSuchBucket,
        "the bucket " + bucket + " does not exist (no folder " + (root_ / bucket).string() + ")");
}

std::unique_ptr<ObjectReader> FolderObjectStore::open_if_exists(
    const ObjectRef& object, std::optional<std::uint64_t> prefix,
    std::optional<ObjectStoreError>& missing) {
    fs::path path = file_for(object.bucket, object.key);
    const auto absent = [&](const std::string& why) -> std::unique_ptr<ObjectReader> {
        missing = bucket_exists(object.bucket)
                      ? ObjectStoreError(
                            ObjectErrorKind::NoSuchKey,
                            "no object s3://" + object.bucket + "/" + object.key + " (" + why + ")")
                      : no_such_bucket(object.bucket);
        return nullptr;
    };
    if (object.version) {
        return absent("the folder store keeps no versions, so none is " + *object.version);
    }
    // O_NONBLOCK: a FIFO planted under a key must not block the job.
    FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) {
        const int error = errno;
        if (error == ENOENT || error == ENOTDIR) {
            return absent(path.string() + " does not exist");
        }
        fail(error, "cannot read", path);
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        fail(errno, "cannot read", path);
    }
    // Only regular files are objects: a folder is a key prefix.
    if (!S_ISREG(info.st_mode)) {
        return absent(path.string() + " is not a regular file");
    }
    const int raw = fd.release();
    return std::make_unique<FileReader>(std::move(path), raw,
                                        static_cast<std::uint64_t>(info.st_size), prefix);
}

std::unique_ptr<ObjectWriter> FolderObjectStore::create(const std::string& bucket,
                                                        const std::string& key,
                                                        const WriteOptions& /*options*/) {
    fs::path path = file_for(bucket, key);
    if (!bucket_exists(bucket)) {
        throw no_such_bucket(bucket);
    }
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    if (error) {
        fail(error.value(), "cannot create the folder for", path);
    }
    return std::make_unique<FileWriter>(std::move(path));
}

}  // namespace rekmock::objects
