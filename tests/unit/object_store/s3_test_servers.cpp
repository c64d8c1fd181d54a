#include "s3_test_servers.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rekmock::testing {
namespace {

// The IAM set-up moto checks signatures against: a user allowed everything, and its keys.
constexpr const char* kCreateUserScript = R"(
import json, sys
import boto3
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                   aws_access_key_id="setup", aws_secret_access_key="setup")
iam.create_user(UserName="rekmock")
key = iam.create_access_key(UserName="rekmock")["AccessKey"]
iam.put_user_policy(UserName="rekmock", PolicyName="everything", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
print(key["AccessKeyId"], key["SecretAccessKey"])
)";

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot read the S3 test servers file " + path);
    }
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

S3TestServer start_signing_server(const std::string& directory) {
    S3TestServer server;
    // The three IAM calls of the set-up go unauthenticated; every later request is checked.
    server.process = std::make_shared<MotoServer>(MotoServer::Options{
        {}, {"INITIAL_NO_AUTH_ACTION_COUNT=3"}, directory + "/moto-signing.log"});
    server.port = server.process->port();
    server.endpoint = "http://127.0.0.1:" + std::to_string(server.port);
    const std::string script = directory + "/create_user.py";
    std::ofstream(script) << kCreateUserScript;
    std::istringstream keys(run_command("python3 " + script + " " + server.endpoint + " 2>&1"));
    keys >> server.access_key_id >> server.secret_access_key;
    return server;
}

S3TestServer start_tls_server(const std::string& directory) {
    S3TestServer server;
    const std::string certificate = directory + "/cert.pem";
    const std::string key = directory + "/key.pem";
    run_command(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
        key + " -out " + certificate + " 2>&1");
    server.process = std::make_shared<MotoServer>(
        MotoServer::Options{std::pair(certificate, key), {}, directory + "/moto-tls.log"});
    server.port = server.process->port();
    server.endpoint = "https://127.0.0.1:" + std::to_string(server.port);
    server.ca_file = certificate;
    return server;
}

void write_servers_file(const std::string& path, const S3TestServer& signing,
                        const S3TestServer& tls, long keeper_pid) {
    const std::string partial = path + ".partial";
    {
        std::ofstream out(partial);
        out << "keeper " << keeper_pid << "\n";
        for (const auto& [name, server] :
             {std::pair{"signing", &signing}, std::pair{"tls", &tls}}) {
            out << name << " " << server->endpoint << " " << server->port << " "
                << server->access_key_id << " " << server->secret_access_key << " "
                << server->ca_file.value_or("-") << "\n";
        }
        if (!out) {
            throw std::runtime_error("cannot write the S3 test servers file " + partial);
        }
    }
    if (std::rename(partial.c_str(), path.c_str()) != 0) {
        throw std::runtime_error("cannot write the S3 test servers file " + path);
    }
}

S3TestServer read_servers_file(const std::string& path, const std::string& name) {
    std::istringstream lines(read_text(path));
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        std::string label;
        S3TestServer server;
        std::string ca_file;
        if (fields >> label >> server.endpoint >> server.port >> server.access_key_id >>
                server.secret_access_key >> ca_file &&
            label == name) {
            if (ca_file != "-") {
                server.ca_file = ca_file;
            }
            return server;
        }
    }
    throw std::runtime_error("the S3 test servers file " + path + " names no " + name + " server");
}

long read_keeper_pid(const std::string& path) {
    std::istringstream lines(read_text(path));
    std::string label;
    long pid = 0;
    if (!(lines >> label >> pid) || label != "keeper" || pid <= 0) {
        throw std::runtime_error("the S3 test servers file " + path + " names no keeper");
    }
    return pid;
}

}  // namespace rekmock::testing
