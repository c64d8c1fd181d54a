#include "aws_credentials.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "test_jobs.hpp"

using rekmock::aws::AwsConfigurationError;
using rekmock::aws::AwsContext;
using rekmock::aws::AwsSettings;
using rekmock::aws::Environment;
using rekmock::aws::resolve_aws_context;

namespace fs = std::filesystem;

namespace {

// A HOME of its own with ~/.aws/credentials and ~/.aws/config as given ("" writes no file).
struct FakeHome {
    rekmock::testing::TempFolder folder;
    std::map<std::string, std::string> variables;

    FakeHome(const std::string& credentials, const std::string& config) {
        variables["HOME"] = folder.path().string();
        fs::create_directories(folder.path() / ".aws");
        write(".aws/credentials", credentials);
        write(".aws/config", config);
    }

    void write(const std::string& name, const std::string& text) const {
        if (!text.empty()) {
            std::ofstream(folder.path() / name) << text;
        }
    }

    Environment environment() const {
        return [variables = variables](const char* name) -> std::optional<std::string> {
            const auto found = variables.find(name);
            return found == variables.end() ? std::nullopt : std::optional(found->second);
        };
    }

    AwsContext resolve(AwsSettings settings = {}) const {
        return resolve_aws_context(settings, environment());
    }
};

std::string message_of(const FakeHome& home, AwsSettings settings = {}) {
    try {
        home.resolve(settings);
    } catch (const AwsConfigurationError& e) {
        return e.what();
    }
    FAIL("no AwsConfigurationError");
    return {};
}

constexpr const char* kCredentials =
    "# the keys\n"
    "[default]\n"
    "aws_access_key_id = AKIADEFAULT\n"
    "aws_secret_access_key = default/secret+key\n"
    "\n"
    "[prod]\n"
    "AWS_ACCESS_KEY_ID=AKIAPROD\n"
    "aws_secret_access_key  =  prod-secret  \n"
    "aws_session_token = prod-token\n";

constexpr const char* kConfig =
    "[default]\n"
    "region = eu-west-1\n"
    "[profile prod]\n"
    "region = ap-south-1\n"
    "s3 =\n"
    "  region = not-this-one\n"
    "output = json\n"
    "[profile \"spaced\"]\n"
    "; a comment\n"
    "aws_access_key_id = AKIACONFIG\n"
    "aws_secret_access_key = config-secret\n"
    "region = us-west-2\n"
    "[sso-session corp]\n"
    "sso_region = us-east-1\n";

}  // namespace

TEST_SUITE("aws_credentials") {
    TEST_CASE("the environment's keys come first, with their session token") {
        FakeHome home(kCredentials, kConfig);
        home.variables["AWS_ACCESS_KEY_ID"] = "AKIAENV";
        home.variables["AWS_SECRET_ACCESS_KEY"] = "env-secret";
        home.variables["AWS_SESSION_TOKEN"] = "env-token";
        const AwsContext context = home.resolve();
        CHECK(context.credentials.access_key_id == "AKIAENV");
        CHECK(context.credentials.secret_access_key == "env-secret");
        CHECK(context.credentials.session_token == std::optional<std::string>("env-token"));
        CHECK(context.credentials_source == "the environment (AWS_ACCESS_KEY_ID)");
        // The region still comes from the default profile.
        CHECK(context.region == "eu-west-1");
    }

    TEST_CASE("AWS_PROFILE chooses the profile but not over the environment's keys") {
        FakeHome home(kCredentials, kConfig);
        home.variables["AWS_PROFILE"] = "prod";
        AwsContext context = home.resolve();
        CHECK(context.credentials.access_key_id == "AKIAPROD");
        CHECK(context.credentials.secret_access_key == "prod-secret");
        CHECK(context.credentials.session_token == std::optional<std::string>("prod-token"));
        CHECK(context.region == "ap-south-1");  // not the nested s3 region
        CHECK(context.credentials_source.find("profile prod (") == 0);
        CHECK(context.credentials_source.find(".aws/credentials)") != std::string::npos);

        home.variables["AWS_ACCESS_KEY_ID"] = "AKIAENV";
        home.variables["AWS_SECRET_ACCESS_KEY"] = "env-secret";
        context = home.resolve();
        CHECK(context.credentials.access_key_id == "AKIAENV");
        CHECK(context.credentials.session_token == std::nullopt);
        CHECK(context.region == "ap-south-1");
    }

    TEST_CASE("--profile wins over AWS_PROFILE and over the environment's keys, as aws --profile") {
        FakeHome home(kCredentials, kConfig);
        home.variables["AWS_PROFILE"] = "default";
        home.variables["AWS_ACCESS_KEY_ID"] = "AKIAENV";
        home.variables["AWS_SECRET_ACCESS_KEY"] = "env-secret";
        const AwsContext context = home.resolve({.profile = "prod"});
        CHECK(context.credentials.access_key_id == "AKIAPROD");
        CHECK(context.region == "ap-south-1");
    }

    TEST_CASE("a config file profile holds keys too, under [profile NAME], quoted or not") {
        FakeHome home(kCredentials, kConfig);
        const AwsContext context = home.resolve({.profile = "spaced"});
        CHECK(context.credentials.access_key_id == "AKIACONFIG");
        CHECK(context.credentials.secret_access_key == "config-secret");
        CHECK(context.credentials.session_token == std::nullopt);
        CHECK(context.region == "us-west-2");
        CHECK(context.credentials_source.find(".aws/config)") != std::string::npos);
    }

    TEST_CASE("the credentials file wins over the config file for one profile") {
        FakeHome home("[both]\naws_access_key_id = FROMCREDS\naws_secret_access_key = s1\n",
                      "[profile both]\naws_access_key_id = FROMCONFIG\n"
                      "aws_secret_access_key = s2\nregion = sa-east-1\n");
        const AwsContext context = home.resolve({.profile = "both"});
        CHECK(context.credentials.access_key_id == "FROMCREDS");
        CHECK(context.credentials.secret_access_key == "s1");
        CHECK(context.region == "sa-east-1");
    }

    TEST_CASE("a credentials-file section is the profile's name, with no 'profile ' prefix") {
        FakeHome home("[profile x]\naws_access_key_id = A\naws_secret_access_key = B\n", "");
        CHECK(message_of(home, {.profile = "x"}).find("profile x is not in") == 0);
    }

    TEST_CASE("the region comes from --region, AWS_REGION, AWS_DEFAULT_REGION, the profile") {
        FakeHome home(kCredentials, kConfig);
        CHECK(home.resolve().region == "eu-west-1");
        CHECK(home.resolve().region_source.find("profile default (") == 0);
        home.variables["AWS_DEFAULT_REGION"] = "us-east-2";
        CHECK(home.resolve().region == "us-east-2");
        home.variables["AWS_REGION"] = "ca-central-1";
        CHECK(home.resolve().region == "ca-central-1");
        CHECK(home.resolve().region_source == "AWS_REGION");
        const AwsContext given = home.resolve({.region = "eu-north-1"});
        CHECK(given.region == "eu-north-1");
        CHECK(given.region_source == "--region");
    }

    TEST_CASE("AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move the files") {
        FakeHome home("", "");
        home.write("creds.ini",
                   "[moved]\naws_access_key_id = AKIAMOVED\naws_secret_access_key = m\n");
        home.write("conf.ini", "[profile moved]\nregion = me-south-1\n");
        home.variables["AWS_SHARED_CREDENTIALS_FILE"] = (home.folder.path() / "creds.ini").string();
        home.variables["AWS_CONFIG_FILE"] = "~/conf.ini";  // ~ is HOME, as the SDKs expand it
        const AwsContext context = home.resolve({.profile = "moved"});
        CHECK(context.credentials.access_key_id == "AKIAMOVED");
        CHECK(context.region == "me-south-1");
    }

    TEST_CASE("sources it does not read are refused by name, with the way to export the keys") {
        FakeHome home("",
                      "[profile sso]\nsso_session = corp\nregion = us-east-1\n"
                      "[profile role]\nrole_arn = arn:aws:iam::111122223333:role/r\n"
                      "source_profile = default\n"
                      "[profile process]\ncredential_process = /bin/keys\n"
                      "[profile web]\nweb_identity_token_file = /t\n"
                      "[profile process-and-keys]\ncredential_process = /bin/keys\n"
                      "aws_access_key_id = AKIAKEYS\naws_secret_access_key = k\n");
        home.variables["AWS_REGION"] = "us-east-1";
        for (const auto& [profile, said] :
             std::map<std::string, std::string>{{"sso", "IAM Identity Center (sso_session)"},
                                                {"role", "assumes a role (role_arn)"},
                                                {"process", "credential_process"},
                                                {"web", "web_identity_token_file"}}) {
            CAPTURE(profile);
            const std::string message = message_of(home, {.profile = profile});
            CHECK(message.find(said) != std::string::npos);
            CHECK(message.find("aws configure export-credentials --profile " + profile) !=
                  std::string::npos);
        }
        // As in the AWS CLI, a profile's static keys come before its credential_process.
        CHECK(home.resolve({.profile = "process-and-keys"}).credentials.access_key_id ==
              "AKIAKEYS");
    }

    TEST_CASE("missing or half credentials, a missing named profile and no region are errors") {
        FakeHome empty("", "");
        CHECK(message_of(empty).find("no AWS credentials") == 0);
        CHECK(message_of(empty, {.profile = "nope"}).find("profile nope is not in") == 0);

        FakeHome half(kCredentials, kConfig);
        half.variables["AWS_ACCESS_KEY_ID"] = "AKIAHALF";
        CHECK(message_of(half) == "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");

        FakeHome half_profile("[default]\naws_access_key_id = A\n", "");
        CHECK(message_of(half_profile).find("no aws_secret_access_key") != std::string::npos);

        FakeHome named(kCredentials, kConfig);
        named.variables["AWS_PROFILE"] = "ghost";
        named.variables["AWS_ACCESS_KEY_ID"] = "AKIAENV";
        named.variables["AWS_SECRET_ACCESS_KEY"] = "env-secret";
        CHECK(message_of(named).find("profile ghost is not in") == 0);

        FakeHome no_region(kCredentials, "");
        CHECK(message_of(no_region).find("no AWS region") == 0);
        CHECK(message_of(no_region, {.region = "us-east-1/evil"}).find("is not a region name") !=
              std::string::npos);
    }

    TEST_CASE("no message names a secret or a key") {
        FakeHome home("[default]\naws_access_key_id = AKIASECRETID\n", "");
        home.variables["AWS_SECRET_ACCESS_KEY"] = "very-secret";
        const std::string message = message_of(home);
        CHECK(message.find("AKIASECRETID") == std::string::npos);
        CHECK(message.find("very-secret") == std::string::npos);
    }
}
