#include "open_beneath.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_jobs.hpp"

using rekmock::objects::BeneathResolution;
using rekmock::objects::open_beneath;
using rekmock::testing::TempFolder;
namespace fs = std::filesystem;

namespace {

// The errno of open_beneath, or 0 when it opened (the descriptor then closed).
int open_error(int dirfd, const std::string& relative, int flags, BeneathResolution how) {
    const int fd = open_beneath(dirfd, relative, flags, 0644, how);
    if (fd < 0) {
        return errno;
    }
    ::close(fd);
    return 0;
}

}  // namespace

TEST_SUITE("open_beneath") {
    TEST_CASE("no symbolic link is followed, inside or out, by openat2 or by the walk") {
        const TempFolder outside;
        std::ofstream(outside.path() / "secret") << "secret";
        const TempFolder root;
        fs::create_directories(root.path() / "real/deeper");
        std::ofstream(root.path() / "real/file") << "x";
        fs::create_symlink(outside.path() / "secret", root.path() / "key-link");
        fs::create_symlink(outside.path(), root.path() / "folder-link");
        fs::create_symlink("real", root.path() / "inner-link");
        fs::create_symlink("/proc/self/root", root.path() / "magic-link");
        const int dirfd = ::open(root.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        REQUIRE(dirfd >= 0);
        for (const auto how : {BeneathResolution::Kernel, BeneathResolution::Walk}) {
            CAPTURE(static_cast<int>(how));
            CHECK(open_error(dirfd, "real/file", O_RDONLY, how) == 0);
            CHECK(open_error(dirfd, "real/deeper", O_PATH | O_DIRECTORY, how) == 0);
            const std::string created = how == BeneathResolution::Kernel ? "new1" : "new2";
            CHECK(open_error(dirfd, "real/" + created, O_WRONLY | O_CREAT | O_EXCL, how) == 0);
            CHECK(fs::exists(root.path() / "real" / created));
            CHECK(open_error(dirfd, "absent/file", O_RDONLY, how) == ENOENT);
            CHECK(open_error(dirfd, "real/file/below", O_RDONLY, how) == ENOTDIR);
            CHECK(open_error(dirfd, "real/file", O_PATH | O_DIRECTORY, how) == ENOTDIR);
            for (const std::string path :
                 {"key-link", "folder-link/secret", "inner-link/file", "magic-link/etc/passwd"}) {
                CAPTURE(path);
                CHECK(open_error(dirfd, path, O_RDONLY, how) == ELOOP);
                CHECK(open_error(dirfd, path, O_PATH, how) == ELOOP);
            }
            CHECK(open_error(dirfd, "folder-link", O_PATH | O_DIRECTORY, how) == ELOOP);
            CHECK(open_error(dirfd, "inner-link", O_PATH | O_DIRECTORY, how) == ELOOP);
            CHECK(open_error(dirfd, "folder-link/planted", O_WRONLY | O_CREAT, how) == ELOOP);
            CHECK(open_error(dirfd, "key-link", O_WRONLY | O_CREAT | O_TRUNC, how) == ELOOP);
        }
        ::close(dirfd);
        CHECK(rekmock::testing::file_bytes(outside.path() / "secret") == "secret");
        CHECK_FALSE(fs::exists(outside.path() / "planted"));
    }
}
