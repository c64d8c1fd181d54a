#include "folder_object_store.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "test_jobs.hpp"
#include "thrown_kind.hpp"

using rekmock::objects::FolderObjectStore;
using rekmock::objects::ObjectErrorKind;
using rekmock::objects::ObjectReader;
using rekmock::objects::ObjectRef;
using rekmock::objects::ObjectStoreError;
using rekmock::objects::StoreDescription;
using rekmock::testing::TempFolder;
namespace fs = std::filesystem;

namespace {

std::string read_all(ObjectReader& reader) {
    std::string bytes;
    char chunk[7];  // odd-sized, so reads end mid-object
    while (const std::size_t got = reader.read(chunk, sizeof chunk)) {
        bytes.append(chunk, got);
    }
    return bytes;
}

ObjectErrorKind error_kind(const std::function<void()>& action) {
    return rekmock::testing::thrown_kind<ObjectStoreError>(action);
}

}  // namespace

TEST_SUITE("folder_object_store") {
    TEST_CASE("an object written is read back whole, or its first bytes, with its full size") {
        const TempFolder root;
        fs::create_directory(root.path() / "bucket");
        FolderObjectStore store(root.path());
        auto writer = store.create("bucket", "deep/er/key.txt", {});
        writer->write("hello, ");
        writer->write("world");
        CHECK_FALSE(writer->commit().has_value());  // no versions
        CHECK(rekmock::testing::file_bytes(root.path() / "bucket/deep/er/key.txt") ==
              "hello, world");

        auto whole = store.open(ObjectRef{"bucket", "deep/er/key.txt", std::nullopt}, std::nullopt);
        CHECK(whole->size() == 12);
        CHECK(read_all(*whole) == "hello, world");
        auto prefix = store.open(ObjectRef{"bucket", "deep/er/key.txt", std::nullopt}, 5);
        CHECK(prefix->size() == 12);
        CHECK(read_all(*prefix) == "hello");
        CHECK(store.describe() == StoreDescription{"folder", root.path().string()});
    }

    TEST_CASE("nothing is visible before commit, and an abandoned writer leaves no trace") {
        const TempFolder root;
        fs::create_directory(root.path() / "bucket");
        FolderObjectStore store(root.path());
        {
            auto first = store.create("bucket", "key", {});
            first->write("old");
            first->commit();
        }
        {
            auto abandoned = store.create("bucket", "key", {});
            abandoned->write("new, never committed");
            CHECK(rekmock::testing::file_bytes(root.path() / "bucket/key") == "old");
        }
        CHECK(rekmock::testing::file_bytes(root.path() / "bucket/key") == "old");
        std::size_t files = 0;
        for ([[maybe_unused]] const auto& entry : fs::directory_iterator(root.path() / "bucket")) {
            ++files;
        }
        CHECK(files == 1);
    }

    TEST_CASE("a killed writer's temporary files go when its key is written again, no live one") {
        const TempFolder root;
        fs::create_directories(root.path() / "bucket/out");
        FolderObjectStore store(root.path());
        const auto temporaries = [&] {
            std::size_t count = 0;
            for (const auto& entry : fs::directory_iterator(root.path() / "bucket/out")) {
                count += entry.path().filename().string().starts_with(".rekmock-tmp-") ? 1U : 0U;
            }
            return count;
        };
        // Two writers of one key killed mid-write, as SIGKILL stops servers writing a job's
        // results.
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            try {
                auto first = store.create("bucket", "out/results.jsonl", {});
                auto second = store.create("bucket", "out/results.jsonl", {});
                first->write("half of the res");
                second->write("half of the res");
                ::raise(SIGKILL);
            } catch (...) {
            }
            ::_exit(1);
        }
        int status = 0;
        REQUIRE(::waitpid(child, &status, 0) == child);
        REQUIRE(WIFSIGNALED(status));
        CHECK(temporaries() == 2);

        // The work resumed: its writer takes one leftover over and removes the other.
        auto resumed = store.create("bucket", "out/results.jsonl", {});
        CHECK(temporaries() == 1);
        // A writer beside a live one leaves the live one's file alone.
        auto beside = store.create("bucket", "out/results.jsonl", {});
        CHECK(temporaries() == 2);
        beside->write("beside");
        beside->commit();
        CHECK(temporaries() == 1);
        resumed->write("resumed");
        resumed->commit();
        CHECK(temporaries() == 0);
        CHECK(rekmock::testing::file_bytes(root.path() / "bucket/out/results.jsonl") == "resumed");
        // A writer of another key leaves a leftover of this one for its own writer.
        const pid_t again = ::fork();
        REQUIRE(again >= 0);
        if (again == 0) {
            try {
                auto killed = store.create("bucket", "out/results.jsonl", {});
                killed->write("half");
                ::raise(SIGKILL);
            } catch (...) {
            }
            ::_exit(1);
        }
        REQUIRE(::waitpid(again, &status, 0) == again);
        store.create("bucket", "out/summary.json", {})->commit();
        CHECK(temporaries() == 1);
    }

    TEST_CASE("a missing bucket is NoSuchBucket, and the store never creates one") {
        const TempFolder root;
        FolderObjectStore store(root.path());
        CHECK(error_kind([&] { store.create("absent", "key", {}); }) ==
              ObjectErrorKind::NoSuchBucket);
        CHECK(error_kind([&] {
                  store.open(ObjectRef{"absent", "key", std::nullopt}, std::nullopt);
              }) == ObjectErrorKind::NoSuchBucket);
        CHECK_FALSE(fs::exists(root.path() / "absent"));
    }

    TEST_CASE("a missing key, a folder and a version are NoSuchKey") {
        const TempFolder root;
        fs::create_directories(root.path() / "bucket/folder");
        std::ofstream(root.path() / "bucket/file") << "x";
        FolderObjectStore store(root.path());
        for (const auto& ref :
             {ObjectRef{"bucket", "absent", std::nullopt},
              ObjectRef{"bucket", "folder", std::nullopt}, ObjectRef{"bucket", "file", "v1"}}) {
            CAPTURE(ref.key);
            CHECK(error_kind([&] { store.open(ref, std::nullopt); }) == ObjectErrorKind::NoSuchKey);
        }
    }

    TEST_CASE("names that would leave the bucket's folder or cannot be files are refused") {
        const TempFolder root;
        fs::create_directory(root.path() / "bucket");
        FolderObjectStore store(root.path());
        const std::vector<std::string> keys{"../escape",
                                            "a/../../escape",
                                            "./a",
                                            "a//b",
                                            "/abs",
                                            "dir/",
                                            std::string("nul\0byte", 8),
                                            ""};
        for (const auto& key : keys) {
            CAPTURE(key);
            CHECK(error_kind([&] { store.create("bucket", key, {}); }) ==
                  ObjectErrorKind::InvalidRequest);
            CHECK(error_kind([&] {
                      store.open(ObjectRef{"bucket", key, std::nullopt}, std::nullopt);
                  }) == ObjectErrorKind::InvalidRequest);
        }
        for (const std::string bucket : {"..", ".", "a/b", "/"}) {
            CAPTURE(bucket);
            CHECK(error_kind([&] { store.create(bucket, "key", {}); }) ==
                  ObjectErrorKind::InvalidRequest);
        }
        CHECK_FALSE(fs::exists(root.path().parent_path() / "escape"));
    }

    TEST_CASE("no symbolic link is followed: a bucket, folder or key that is one is refused") {
        const TempFolder outside;
        std::ofstream(outside.path() / "secret") << "secret";
        const TempFolder root;
        fs::create_directories(root.path() / "bucket/real");
        std::ofstream(root.path() / "bucket/real/key") << "inside";
        fs::create_symlink(outside.path() / "secret", root.path() / "bucket/key-link");
        fs::create_symlink("/etc/passwd", root.path() / "bucket/passwd");
        fs::create_symlink(outside.path(), root.path() / "bucket/folder-link");
        fs::create_symlink(root.path() / "bucket/real", root.path() / "bucket/inner-link");
        fs::create_symlink(outside.path(), root.path() / "bucket-link");
        FolderObjectStore store(root.path());
        for (const auto& [bucket, key] :
             std::vector<std::pair<std::string, std::string>>{{"bucket", "key-link"},
                                                              {"bucket", "passwd"},
                                                              {"bucket", "folder-link/secret"},
                                                              {"bucket", "inner-link/key"},
                                                              {"bucket-link", "secret"}}) {
            CAPTURE(bucket);
            CAPTURE(key);
            CHECK(error_kind([&] {
                      store.open(ObjectRef{bucket, key, std::nullopt}, std::nullopt);
                  }) == ObjectErrorKind::InvalidRequest);
            std::optional<ObjectStoreError> missing;
            CHECK_THROWS_WITH_AS(
                store.open_if_exists(ObjectRef{bucket, key, std::nullopt}, 1, missing),
                doctest::Contains("is a symbolic link, and the folder store follows none"),
                ObjectStoreError);
        }
        for (const auto& [bucket, key] : std::vector<std::pair<std::string, std::string>>{
                 {"bucket", "folder-link/planted"},
                 {"bucket", "folder-link/deeper/planted"},
                 {"bucket", "inner-link/planted"},
                 {"bucket-link", "planted"},
                 {"bucket-link", "deeper/planted"}}) {
            CAPTURE(bucket);
            CAPTURE(key);
            CHECK(error_kind([&] { store.create(bucket, key, {})->commit(); }) ==
                  ObjectErrorKind::InvalidRequest);
        }
        CHECK(std::distance(fs::directory_iterator(outside.path()), fs::directory_iterator()) == 1);
        CHECK(rekmock::testing::file_bytes(outside.path() / "secret") == "secret");
        CHECK(read_all(*store.open(ObjectRef{"bucket", "real/key", std::nullopt}, std::nullopt)) ==
              "inside");
    }

    TEST_CASE("writing a key that is a symbolic link replaces the link, never its target") {
        const TempFolder outside;
        std::ofstream(outside.path() / "secret") << "secret";
        const TempFolder root;
        fs::create_directory(root.path() / "bucket");
        fs::create_symlink(outside.path() / "secret", root.path() / "bucket/key");
        FolderObjectStore store(root.path());
        auto writer = store.create("bucket", "key", {});
        writer->write("object");
        writer->commit();
        CHECK(rekmock::testing::file_bytes(outside.path() / "secret") == "secret");
        CHECK_FALSE(fs::is_symlink(root.path() / "bucket/key"));
        CHECK(rekmock::testing::file_bytes(root.path() / "bucket/key") == "object");
    }

    TEST_CASE("a root that does not exist is created, one that is a file is refused") {
        const TempFolder root;
        FolderObjectStore created(root.path() / "new" / "s3");
        CHECK(fs::is_directory(root.path() / "new" / "s3"));
        std::ofstream(root.path() / "file") << "x";
        CHECK_THROWS_WITH_AS(FolderObjectStore(root.path() / "file"),
                             doctest::Contains("is not a folder"), std::runtime_error);
    }
}
