// The S3 store against a real S3 server: moto_server, started once per CTest run (or per test
// process run alone). Its SigV4 checking is on, so every request of these tests also proves the
// signer right to a server that verifies signatures.

#include "s3_object_store.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <boost/beast/http/verb.hpp>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "s3_client.hpp"
#include "s3_test_servers.hpp"

using rekmock::objects::ObjectErrorKind;
using rekmock::objects::ObjectRef;
using rekmock::objects::ObjectStoreError;
using rekmock::objects::S3Client;
using rekmock::objects::S3Config;
using rekmock::objects::S3ObjectStore;
using rekmock::objects::S3Request;
using rekmock::objects::StoreDescription;
using rekmock::objects::WriteOptions;
using rekmock::testing::read_servers_file;
using rekmock::testing::S3TestServer;
using rekmock::testing::start_signing_server;
using rekmock::testing::start_tls_server;
using rekmock::testing::TemporaryDirectory;
namespace http = boost::beast::http;

namespace {

// The servers a CTest run shares (REKMOCK_TEST_S3_SERVERS names their file), or this process's.
S3TestServer shared_or_own(const std::string& name,
                           S3TestServer (*start)(const std::string& directory)) {
    if (const char* file = std::getenv("REKMOCK_TEST_S3_SERVERS")) {
        return read_servers_file(file, name);
    }
    static const TemporaryDirectory directory;
    return start(directory.path());
}

// moto over http, checking every request's signature.
const S3TestServer& signing_server() {
    static const S3TestServer server = shared_or_own("signing", start_signing_server);
    return server;
}

// moto over https with a self-signed certificate for 127.0.0.1 and localhost.
const S3TestServer& tls_server() {
    static const S3TestServer server = shared_or_own("tls", start_tls_server);
    return server;
}

constexpr std::size_t kPartSize = rekmock::objects::kMinPartSize;

S3Config config_for(const S3TestServer& server) {
    S3Config config;
    config.endpoint = server.endpoint;
    config.access_key_id = server.access_key_id;
    config.secret_access_key = server.secret_access_key;
    config.ca_file = server.ca_file;
    config.part_size = kPartSize;
    return config;
}

// A config for tests that need no server.
S3Config offline_config() {
    S3Config config;
    config.endpoint = "http://127.0.0.1:1";
    config.access_key_id = "AKIAEXAMPLEKEY";
    config.secret_access_key = "example-secret";
    return config;
}

// A bucket name no other test uses.
std::string new_bucket_name() {
    // The process id too: the test processes of a CTest run share the servers.
    static std::atomic<int> count = 0;
    return "rekmock-test-" + std::to_string(::getpid()) + "-" + std::to_string(++count);
}

// Sends `request`; fails the test unless it succeeds. Returns the body.
std::string checked_send(const S3Client& client, const S3Request& request) {
    auto response = client.send(request, "test set-up");
    INFO(request.target());
    const std::string error =
        response.error() ? response.error()->code + " " + response.error()->message : "";
    INFO(error);
    REQUIRE(!response.error());
    return response.read_all(1 << 20);
}

std::string create_bucket(const S3Client& client, bool versioned = false) {
    const std::string bucket = new_bucket_name();
    checked_send(client, {http::verb::put, bucket, "", "", {}, ""});
    if (versioned) {
        checked_send(client, {http::verb::put,
                              bucket,
                              "",
                              "versioning",
                              {},
                              "<VersioningConfiguration><Status>Enabled</Status>"
                              "</VersioningConfiguration>"});
    }
    return bucket;
}

// `size` bytes that differ from one offset to the next.
std::string pattern(std::size_t size, unsigned seed = 1) {
    std::string bytes(size, '\0');
    std::minstd_rand random(seed);
    for (char& byte : bytes) {
        byte = static_cast<char>(random() & 0xff);
    }
    return bytes;
}

std::optional<std::string> put(rekmock::objects::ObjectStore& store, const std::string& bucket,
                               const std::string& key, std::string_view bytes,
                               const WriteOptions& options = {}, std::size_t chunk = 1 << 20) {
    auto writer = store.create(bucket, key, options);
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
        writer->write(bytes.substr(at, chunk));
    }
    return writer->commit();
}

// Every byte `reader` gives, read `chunk` bytes at a time.
std::string drain(rekmock::objects::ObjectReader& reader, std::size_t chunk = 64 * 1024) {
    std::string bytes;
    std::vector<char> buffer(chunk);
    for (std::size_t n = reader.read(buffer.data(), chunk); n > 0;
         n = reader.read(buffer.data(), chunk)) {
        bytes.append(buffer.data(), n);
    }
    return bytes;
}

// The kind of the ObjectStoreError `action` throws, and its message.
template <typename Action>
std::pair<std::optional<ObjectErrorKind>, std::string> failure_of(Action action) {
    try {
        action();
    } catch (const ObjectStoreError& e) {
        return {e.kind(), e.what()};
    }
    return {std::nullopt, "no error"};
}

// A header of HeadObject on `bucket`/`key`.
std::string head(const S3Client& client, const std::string& bucket, const std::string& key,
                 const std::string& name) {
    auto response = client.send({http::verb::head, bucket, key, "", {}, ""}, "HeadObject");
    REQUIRE(!response.error());
    return std::string(response.header(name));
}

}  // namespace

TEST_SUITE("s3_object_store") {
    TEST_CASE("an object written is read back whole, with its content type") {
        const S3Client client(config_for(signing_server()));
        S3ObjectStore store(config_for(signing_server()));
        const std::string bucket = create_bucket(client);
        const std::string bytes = pattern(300'000);
        WriteOptions options;
        options.content_type = "application/x-ndjson";
        CHECK(put(store, bucket, "manifests/in.jsonl", bytes, options, 7'777) == std::nullopt);

        const auto reader = store.open({bucket, "manifests/in.jsonl", {}}, std::nullopt);
        CHECK(reader->size() == bytes.size());
        CHECK(drain(*reader, 1000) == bytes);
        CHECK(reader->read(nullptr, 0) == 0);
        CHECK(head(client, bucket, "manifests/in.jsonl", "Content-Type") == "application/x-ndjson");
        CHECK(store.describe() == StoreDescription{"s3", signing_server().endpoint});
    }

    TEST_CASE("keys with spaces, '+', '~', '$', '%', UTF-8 and dot segments are stored as given") {
        // moto's signature check fails botocore's own requests for keys with '+', '$', '%' or
        // UTF-8 (it re-encodes the path its own way), and ours for a key's dot segments (sent
        // escaped, signed as sent, as S3 checks them), so those go to the server that does not
        // check; unit_sigv4 checks such a key's signature against botocore's.
        for (const S3TestServer* server : {&signing_server(), &tls_server()}) {
            const bool checks_signatures = server == &signing_server();
            const S3Client client(config_for(*server));
            S3ObjectStore store(config_for(*server));
            const std::string bucket = create_bucket(client);
            std::vector<std::string> keys = {"a b/c~d.json", "dir//double", "/leading"};
            if (!checks_signatures) {
                keys.insert(keys.end(), {"a b/c+d~e$f.json", "100%/x=y&z",
                                         "images/caf\xc3\xa9 1.jpg", "../up", "a/./b/../c", ".."});
            }
            for (const std::string& key : keys) {
                INFO(key);
                put(store, bucket, key, "value of " + key);
                const auto reader = store.open({bucket, key, {}}, std::nullopt);
                CHECK(drain(*reader) == "value of " + key);
            }
        }
    }

    TEST_CASE("a prefix read asks for that range: the full size, only the prefix read") {
        const S3Client client(config_for(signing_server()));
        S3ObjectStore store(config_for(signing_server()));
        const std::string bucket = create_bucket(client);
        const std::string bytes = pattern(3 << 20);
        put(store, bucket, "image.jpg", bytes);

        const auto header = store.open({bucket, "image.jpg", {}}, 1000);
        CHECK(header->size() == bytes.size());
        CHECK(drain(*header, 300) == bytes.substr(0, 1000));

        const auto nothing = store.open({bucket, "image.jpg", {}}, 0);
        CHECK(nothing->size() == bytes.size());
        CHECK(drain(*nothing) == "");

        const auto beyond = store.open({bucket, "image.jpg", {}}, bytes.size() + 10);
        CHECK(beyond->size() == bytes.size());
        CHECK(drain(*beyond) == bytes);

        SUBCASE("a reader dropped half-way leaves the store usable") {
            auto partial = store.open({bucket, "image.jpg", {}}, std::nullopt);
            std::vector<char> buffer(4096);
            CHECK(partial->read(buffer.data(), buffer.size()) > 0);
            partial.reset();
            CHECK(drain(*store.open({bucket, "image.jpg", {}}, 10)) == bytes.substr(0, 10));
        }
    }

    TEST_CASE("an empty object reads as empty, with or without a prefix (S3's 416)") {
        const S3Client client(config_for(signing_server()));
        S3ObjectStore store(config_for(signing_server()));
        const std::string bucket = create_bucket(client);
        put(store, bucket, "empty", "");
        for (const std::optional<std::uint64_t> prefix :
             {std::optional<std::uint64_t>(), std::optional<std::uint64_t>(0),
              std::optional<std::uint64_t>(100)}) {
            const auto reader = store.open({bucket, "empty", {}}, prefix);
            CHECK(reader->size() == 0);
            CHECK(drain(*reader) == "");
        }
    }

    TEST_CASE("a missing key, bucket or version is its own kind, named in the message") {
        const S3Client client(config_for(signing_server()));
        S3ObjectStore store(config_for(signing_server()));
        const std::string bucket = create_bucket(client);
        put(store, bucket, "present", "x");

        const auto key = failure_of([&] { store.open({bucket, "absent.json", {}}, std::nullopt); });
        CHECK(key.first == ObjectErrorKind::NoSuchKey);
        CHECK(key.second.find("s3://" + bucket + "/absent.json") != std::string::npos);
        CHECK(key.second.find("NoSuchKey") != std::string::npos);

        const auto prefixed = failure_of([&] { store.open({bucket, "absent.json", {}}, 16); });
        CHECK(prefixed.first == ObjectErrorKind::NoSuchKey);

        const auto no_bucket = failure_of([&] {
            store.open({"rekmock-no-such-bucket", "k", {}}, std::nullopt);
        });
        CHECK(no_bucket.first == ObjectErrorKind::NoSuchBucket);
        CHECK(no_bucket.second.find("rekmock-no-such-bucket") != std::string::npos);
        CHECK(no_bucket.second.find("NoSuchBucket") != std::string::npos);

        const auto written =
            failure_of([&] { put(store, "rekmock-no-such-bucket", "k", "bytes"); });
        CHECK(written.first == ObjectErrorKind::NoSuchBucket);
        CHECK(written.second.find("PutObject") != std::string::npos);
    }

    TEST_CASE("past the part size a multipart upload carries the object intact") {
        const S3Client client(config_for(signing_server()));
        S3ObjectStore store(config_for(signing_server()));
        const std::string bucket = create_bucket(client);
        const std::string bytes = pattern(2 * kPartSize + 12'345, 7);
        put(store, bucket, "outputs/big.bin", bytes, {}, 999'983);

        // A multipart object's ETag ends in "-<parts>".
        CHECK(head(client, bucket, "outputs/big.bin", "ETag").ends_with("-3\""));
        const auto reader = store.open({bucket, "outputs/big.bin", {}}, std::nullopt);
        CHECK(reader->size() == bytes.size());
        CHECK(drain(*reader) == bytes);

        SUBCASE("exactly one part stays a single PutObject") {
            put(store, bucket, "one-part", bytes.substr(0, kPartSize));
            CHECK(head(client, bucket, "one-part", "ETag").find('-') == std::string::npos);
            CHECK(drain(*store.open({bucket, "one-part", {}}, std::nullopt)) ==
                  bytes.substr(0, kPartSize));
        }
    }

    TEST_CASE("a writer destroyed before commit leaves no object and no upload") {
        const S3Client client(config_for(signing_server()));
        S3ObjectStore store(config_for(signing_server()));
        const std::string bucket = create_bucket(client);
        {
            auto small = store.create(bucket, "small", {});
            small->write("never committed");
            auto large = store.create(bucket, "large", {});
            large->write(pattern(kPartSize + 1));  // the first part is uploaded
        }
        for (const char* key : {"small", "large"}) {
            INFO(key);
            CHECK(failure_of([&] {
                      store.open({bucket, key, {}}, std::nullopt);
                  }).first == ObjectErrorKind::NoSuchKey);
        }
        const std::string uploads =
            checked_send(client, {http::verb::get, bucket, "", "uploads", {}, ""});
        CHECK(uploads.find("<Upload>") == std::string::npos);
    }

    TEST_CASE("a committed writer takes no more writes") {
        const S3Client client(config_for(signing_server()));
        S3ObjectStore store(config_for(signing_server()));
        const std::string bucket = create_bucket(client);
        auto writer = store.create(bucket, "k", {});
        writer->write("a");
        writer->commit();
        CHECK(failure_of([&] { writer->write("b"); }).first == ObjectErrorKind::InvalidRequest);
        CHECK(failure_of([&] { writer->commit(); }).first == ObjectErrorKind::InvalidRequest);
    }

    TEST_CASE("a versioned bucket gives each write a version, and each version reads back") {
        const S3Client client(config_for(signing_server()));
        S3ObjectStore store(config_for(signing_server()));
        const std::string bucket = create_bucket(client, true);
        const auto first = put(store, bucket, "manifest.jsonl", "first");
        const auto second = put(store, bucket, "manifest.jsonl", "second");
        REQUIRE(first);
        REQUIRE(second);
        CHECK(*first != *second);
        CHECK(drain(*store.open({bucket, "manifest.jsonl", first}, std::nullopt)) == "first");
        CHECK(drain(*store.open({bucket, "manifest.jsonl", second}, 3)) == "sec");
        CHECK(drain(*store.open({bucket, "manifest.jsonl", {}}, std::nullopt)) == "second");

        const auto multipart = put(store, bucket, "manifest.jsonl", pattern(kPartSize + 10));
        REQUIRE(multipart);
        CHECK(store.open({bucket, "manifest.jsonl", multipart}, 0)->size() == kPartSize + 10);

        CHECK(failure_of([&] {
                  store.open({bucket, "manifest.jsonl", std::string("no-such-version")},
                             std::nullopt);
              }).first == ObjectErrorKind::NoSuchKey);
    }

    TEST_CASE("SSE-KMS: the key id goes with PutObject and CreateMultipartUpload") {
        const S3Client client(config_for(signing_server()));
        S3ObjectStore store(config_for(signing_server()));
        const std::string bucket = create_bucket(client);
        WriteOptions options;
        options.kms_key_id = "arn:aws:kms:us-east-1:123456789012:key/rekmock-test";
        put(store, bucket, "small", "secret", options);
        put(store, bucket, "large", pattern(kPartSize + 1), options);
        put(store, bucket, "plain", "public");
        for (const char* key : {"small", "large"}) {
            INFO(key);
            CHECK(head(client, bucket, key, "x-amz-server-side-encryption") == "aws:kms");
            CHECK(head(client, bucket, key, "x-amz-server-side-encryption-aws-kms-key-id") ==
                  *options.kms_key_id);
        }
        CHECK(head(client, bucket, "plain", "x-amz-server-side-encryption-aws-kms-key-id") == "");
    }

    TEST_CASE("a wrong secret or an unknown key id is AccessDenied, naming the server's code") {
        const S3Client client(config_for(signing_server()));
        const std::string bucket = create_bucket(client);
        S3ObjectStore(config_for(signing_server())).create(bucket, "k", {})->commit();

        S3Config wrong_secret = config_for(signing_server());
        wrong_secret.secret_access_key = "not-the-secret";
        S3ObjectStore wrong(wrong_secret);
        const auto read = failure_of([&] { wrong.open({bucket, "k", {}}, std::nullopt); });
        CHECK(read.first == ObjectErrorKind::AccessDenied);
        CHECK(read.second.find("SignatureDoesNotMatch") != std::string::npos);
        CHECK(failure_of([&] { put(wrong, bucket, "k2", "x"); }).first ==
              ObjectErrorKind::AccessDenied);

        S3Config unknown_key = config_for(signing_server());
        unknown_key.access_key_id = "AKIAUNKNOWNKEY000000";
        const auto unknown = failure_of([&] {
            S3ObjectStore(unknown_key).open({bucket, "k", {}}, std::nullopt);
        });
        CHECK(unknown.first == ObjectErrorKind::AccessDenied);
        CHECK(unknown.second.find("InvalidAccessKeyId") != std::string::npos);
    }

    TEST_CASE("several threads share one store and its connections, over http and https") {
        for (const S3TestServer* server : {&signing_server(), &tls_server()}) {
            CAPTURE(server->endpoint);
            const S3Client client(config_for(*server));
            S3ObjectStore store(config_for(*server));
            const std::string bucket = create_bucket(client);
            std::atomic<int> good = 0;
            std::mutex failures_mutex;
            std::vector<std::string> failures;
            const auto round_trips = [&](int thread) {
                for (int i = 0; i < 10; ++i) {
                    const std::string key = "t" + std::to_string(thread) + "/" + std::to_string(i);
                    const std::string bytes = pattern(1000 + static_cast<std::size_t>(i),
                                                      static_cast<unsigned>(thread * 100 + i));
                    put(store, bucket, key, bytes);
                    if (drain(*store.open({bucket, key, {}}, std::nullopt)) == bytes) {
                        ++good;
                    }
                }
            };
            std::vector<std::thread> threads;
            for (int t = 0; t < 4; ++t) {
                threads.emplace_back([&, t] {
                    try {
                        round_trips(t);
                    } catch (const std::exception& e) {
                        const std::lock_guard lock(failures_mutex);
                        failures.emplace_back(e.what());
                    }
                });
            }
            for (auto& thread : threads) {
                thread.join();
            }
            CHECK(failures.empty());
            CHECK(good == 40);
        }
    }

    TEST_CASE("https to a self-signed server works with its CA file and only with it") {
        const S3Client client(config_for(tls_server()));
        S3ObjectStore store(config_for(tls_server()));
        const std::string bucket = create_bucket(client);
        put(store, bucket, "over-tls", pattern(100'000));
        CHECK(drain(*store.open({bucket, "over-tls", {}}, std::nullopt)) == pattern(100'000));

        SUBCASE("by name: SNI and the certificate's DNS name") {
            S3Config by_name = config_for(tls_server());
            by_name.endpoint = "https://localhost:" + std::to_string(tls_server().port);
            CHECK(drain(*S3ObjectStore(by_name).open({bucket, "over-tls", {}}, 5)) == pattern(5));
        }
        SUBCASE("the system's CAs do not trust it") {
            S3Config untrusted = config_for(tls_server());
            untrusted.ca_file.reset();
            const auto refused = failure_of([&] {
                S3ObjectStore(untrusted).open({bucket, "over-tls", {}}, std::nullopt);
            });
            CHECK(refused.first == ObjectErrorKind::Unavailable);
            CHECK(refused.second.find("certificate verify failed") != std::string::npos);
        }
    }

    TEST_CASE("an unreachable server is Unavailable after the attempts") {
        S3Config config = offline_config();
        config.endpoint = "http://127.0.0.1:1";
        config.max_attempts = 2;
        const auto refused = failure_of([&] {
            S3ObjectStore(config).open({"bkt", "k", {}}, std::nullopt);
        });
        CHECK(refused.first == ObjectErrorKind::Unavailable);
        CHECK(refused.second.find("2 attempts") != std::string::npos);
        CHECK(refused.second.find("s3://bkt/k") != std::string::npos);
    }

    TEST_CASE("an unreadable CA file or a bad endpoint is refused at construction") {
        S3Config config = offline_config();
        config.endpoint = "https://127.0.0.1:1";
        config.ca_file = "/nonexistent/ca.pem";
        CHECK_THROWS_AS(S3ObjectStore{config}, std::invalid_argument);
        config = offline_config();
        config.endpoint = "127.0.0.1:9000";
        CHECK_THROWS_AS(S3ObjectStore{config}, std::invalid_argument);
    }
}
