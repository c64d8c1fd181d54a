#include "folder_object_versions.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "folder_object_store.hpp"
#include "test_jobs.hpp"
#include "thrown_kind.hpp"

using rekmock::objects::FolderObjectStore;
using rekmock::objects::kObjectVersionsFile;
using rekmock::objects::ObjectErrorKind;
using rekmock::objects::ObjectRef;
using rekmock::objects::ObjectStoreError;
using rekmock::objects::ObjectVersions;
using rekmock::objects::read_object_versions;
using rekmock::objects::write_object_versions;
using rekmock::testing::file_bytes;
using rekmock::testing::TempFolder;
namespace fs = std::filesystem;

namespace {

ObjectErrorKind error_kind(const std::function<void()>& action) {
    return rekmock::testing::thrown_kind<ObjectStoreError>(action);
}

std::string read(FolderObjectStore& store, const ObjectRef& ref) {
    return store.open(ref, std::nullopt)->read_all();
}

}  // namespace

TEST_SUITE("folder_object_versions") {
    TEST_CASE("a record written reads back, one entry a line, whatever the keys hold") {
        const TempFolder root;
        CHECK(read_object_versions(root.path()).empty());
        const ObjectVersions versions{
            {{"media-in", "m.jsonl"}, "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"},
            {{"media-in", "a \"quoted\"\nkey/\xc3\xa9"}, "v2"},
            {{"out", "r/results.jsonl"}, "null"}};
        write_object_versions(root.path(), versions);
        CHECK(read_object_versions(root.path()) == versions);
        const std::string text = file_bytes(root.path() / kObjectVersionsFile);
        CHECK(text.starts_with("{\"ObjectVersions\": [\n  {\"Bucket\":\"media-in\""));
        CHECK(std::count(text.begin(), text.end(), '\n') == 5);
        // Nothing is left beside it.
        CHECK(std::distance(fs::directory_iterator(root.path()), fs::directory_iterator()) == 1);
        write_object_versions(root.path(), {});
        CHECK(read_object_versions(root.path()).empty());
    }

    TEST_CASE("the folder store serves the recorded version of a key and no other") {
        const TempFolder root;
        fs::create_directory(root.path() / "media-in");
        std::ofstream(root.path() / "media-in/m.jsonl") << "the manifest";
        FolderObjectStore store(root.path());
        const ObjectRef v1{"media-in", "m.jsonl", "v1"};
        CHECK(error_kind([&] { read(store, v1); }) == ObjectErrorKind::NoSuchKey);

        write_object_versions(root.path(), {{{"media-in", "m.jsonl"}, "v1"}});
        CHECK(read(store, v1) == "the manifest");
        CHECK(read(store, ObjectRef{"media-in", "m.jsonl", std::nullopt}) == "the manifest");
        CHECK(error_kind([&] {
                  read(store, ObjectRef{"media-in", "m.jsonl", "v2"});
              }) == ObjectErrorKind::NoSuchKey);
        CHECK(error_kind([&] {
                  read(store, ObjectRef{"media-in", "other", "v1"});
              }) == ObjectErrorKind::NoSuchKey);

        // A record rewritten while the store serves is read again.
        write_object_versions(root.path(), {{{"media-in", "m.jsonl"}, "v2"}});
        CHECK(read(store, ObjectRef{"media-in", "m.jsonl", "v2"}) == "the manifest");
        CHECK(error_kind([&] { read(store, v1); }) == ObjectErrorKind::NoSuchKey);
        fs::remove(root.path() / kObjectVersionsFile);
        CHECK(error_kind([&] {
                  read(store, ObjectRef{"media-in", "m.jsonl", "v2"});
              }) == ObjectErrorKind::NoSuchKey);
    }

    TEST_CASE("the record is no bucket, and a record that is not one is an error, not a miss") {
        const TempFolder root;
        fs::create_directory(root.path() / "b");
        std::ofstream(root.path() / "b/k") << "x";
        write_object_versions(root.path(), {{{"b", "k"}, "v"}});
        FolderObjectStore store(root.path());
        CHECK(error_kind([&] {
                  read(store, ObjectRef{std::string(kObjectVersionsFile), "k", std::nullopt});
              }) == ObjectErrorKind::NoSuchBucket);
        CHECK(error_kind([&] { store.create(std::string(kObjectVersionsFile), "k", {}); }) ==
              ObjectErrorKind::NoSuchBucket);

        for (const char* bad : {"[]", "{\"ObjectVersions\": [{\"Bucket\": \"b\"}]}", "not json"}) {
            CAPTURE(bad);
            std::ofstream(root.path() / kObjectVersionsFile, std::ios::trunc) << bad;
            CHECK(error_kind([&] { read_object_versions(root.path()); }) ==
                  ObjectErrorKind::Unavailable);
            CHECK(error_kind([&] {
                      read(store, ObjectRef{"b", "k", "v"});
                  }) == ObjectErrorKind::Unavailable);
        }
        fs::remove(root.path() / kObjectVersionsFile);
        fs::create_symlink(root.path() / "b/k", root.path() / kObjectVersionsFile);
        CHECK(error_kind([&] { read_object_versions(root.path()); }) ==
              ObjectErrorKind::Unavailable);
    }
}
