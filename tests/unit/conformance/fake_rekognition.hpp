#pragma once

// A Rekognition media analysis endpoint in memory, for the conformance scenario's tests: it pages
// its jobs newest first with positional tokens, refuses what the scenario's invalid calls send,
// starts jobs (idempotently by ClientRequestToken) that end after a few Gets, and records every
// call. Skews make it answer as other emulators of this API do.

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "endpoint.hpp"

namespace rekmock::testing {

struct FakeSkews {
    bool oldest_first = false;       // jobs listed in the wrong order
    bool string_timestamps = false;  // CreationTimestamp as RFC 3339 text
    bool no_paging = false;          // MaxResults and NextToken ignored
    bool extra_member = false;       // a JobArn the API does not have
    bool no_error_type = false;      // errors without __type
    bool jobs_fail = false;          // started jobs end FAILED
};

class FakeRekognition {
  public:
    using json = nlohmann::json;

    // `jobs` jobs already there (every third FAILED), started jobs ending after `polls_to_end`
    // Gets.
    explicit FakeRekognition(std::size_t jobs, FakeSkews skews = {}, unsigned polls_to_end = 3)
        : skews_(skews), polls_to_end_(polls_to_end) {
        for (std::size_t i = 0; i < jobs; ++i) {
            Job job{id_of(i), json::object(), 0, true};
            job.description = description(job.id, 1'700'000'000.0 + static_cast<double>(i));
            job.description["Status"] = i % 3 == 2 ? "FAILED" : "SUCCEEDED";
            if (i % 3 == 2) {
                job.description["FailureDetails"] = {{"Code", "INVALID_MANIFEST"},
                                                     {"Message", "job " + std::to_string(i)}};
            } else {
                job.description["JobName"] = "job-" + std::to_string(i);
            }
            job.description["CompletionTimestamp"] = 1'700'000'100.0 + static_cast<double>(i);
            jobs_.push_back(std::move(job));
        }
    }

    conformance::Endpoint endpoint() {
        return {"fake://rekognition", [this](std::string_view operation, const std::string& body) {
                    return answer(operation, body);
                }};
    }

    // Every call received: its operation and body.
    const std::vector<std::pair<std::string, json>>& calls() const { return calls_; }
    std::size_t started() const { return started_; }

  private:
    struct Job {
        std::string id;
        json description;
        unsigned polls = 0;
        bool ended = false;
        std::string token = "";
        json request = nullptr;
    };

    static std::string id_of(std::size_t n) {
        char id[65];
        std::snprintf(id, sizeof id, "%064zx", n + 1);
        return id;
    }

    json description(const std::string& id, double created) const {
        return json{{"JobId", id},
                    {"OperationsConfig", {{"DetectModerationLabels", {{"MinConfidence", 50}}}}},
                    {"Status", "CREATED"},
                    {"CreationTimestamp", created},
                    {"Input", {{"S3Object", {{"Bucket", "in"}, {"Name", "m.jsonl"}}}}},
                    {"OutputConfig", {{"S3Bucket", "out"}}}};
    }

    aws::AwsResponse reply(unsigned status, json body) {
        aws::AwsResponse response;
        response.status = status;
        response.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                            {"x-amzn-RequestId", "request-" + std::to_string(calls_.size())}};
        response.body = body.dump();
        return response;
    }

    aws::AwsResponse error(const std::string& type) {
        json body{{"__type", type}, {"Message", type + " said the fake"}};
        if (skews_.no_error_type) {
            body.erase("__type");
        }
        return reply(400, body);
    }

    json shown(const Job& job) const {
        json shown = job.description;
        if (skews_.string_timestamps) {
            shown["CreationTimestamp"] = "2023-11-14T22:13:20.000Z";
        }
        if (skews_.extra_member) {
            shown["JobArn"] = "arn:aws:rekognition:eu-west-1:111122223333:job/" + job.id;
        }
        return shown;
    }

    aws::AwsResponse answer(std::string_view operation, const std::string& text) {
        const json body = json::parse(text);
        calls_.emplace_back(std::string(operation), body);
        if (operation == "ListMediaAnalysisJobs") {
            return list(body);
        }
        if (operation == "GetMediaAnalysisJob") {
            return get(body);
        }
        return start(body);
    }

    aws::AwsResponse list(const json& body) {
        const json max = body.value("MaxResults", json(100));
        if (!max.is_number_integer()) {
            return error("SerializationException");
        }
        const auto size = max.get<long long>();
        if (size < 1 || size > 100) {
            return error("InvalidParameterException");
        }
        std::size_t from = 0;
        if (const auto token = body.find("NextToken"); token != body.end()) {
            const std::string text = token->get<std::string>();
            if (text.size() > 1024) {
                return error("InvalidParameterException");
            }
            if (!text.starts_with("at-")) {
                return error("InvalidPaginationTokenException");
            }
            from = std::stoul(text.substr(3));
        }
        // Newest first: the last made is the newest.
        std::vector<const Job*> order;
        for (auto job = jobs_.rbegin(); job != jobs_.rend(); ++job) {
            order.push_back(&*job);
        }
        if (skews_.oldest_first) {
            std::reverse(order.begin(), order.end());
        }
        const std::size_t to = skews_.no_paging
                                   ? order.size()
                                   : std::min(order.size(), from + static_cast<std::size_t>(size));
        if (skews_.no_paging) {
            from = 0;
        }
        json page{{"MediaAnalysisJobs", json::array()}};
        for (std::size_t i = from; i < to; ++i) {
            page["MediaAnalysisJobs"].push_back(shown(*order[i]));
        }
        if (to < order.size()) {
            page["NextToken"] = "at-" + std::to_string(to);
        }
        return reply(200, page);
    }

    aws::AwsResponse get(const json& body) {
        const auto id = body.find("JobId");
        if (id == body.end()) {
            return error("InvalidParameterException");
        }
        const std::string text = id->get<std::string>();
        if (text.size() > 64 || text.find(' ') != std::string::npos) {
            return error("InvalidParameterException");
        }
        for (Job& job : jobs_) {
            if (job.id != text) {
                continue;
            }
            if (!job.ended && ++job.polls >= polls_to_end_) {
                job.ended = true;
                job.description["Status"] = skews_.jobs_fail ? "FAILED" : "SUCCEEDED";
                job.description["CompletionTimestamp"] = 1'800'000'100.0;
                if (skews_.jobs_fail) {
                    job.description["FailureDetails"] = {{"Code", "INTERNAL_ERROR"},
                                                         {"Message", "failed"}};
                } else {
                    job.description["Results"] = {
                        {"S3Object", {{"Bucket", "out"}, {"Name", job.id + "-results.jsonl"}}},
                        {"ModelVersions", {{"Moderation", "7.0"}}}};
                }
            } else if (!job.ended) {
                job.description["Status"] = job.polls == 1 ? "QUEUED" : "IN_PROGRESS";
            }
            return reply(200, shown(job));
        }
        return error("ResourceNotFoundException");
    }

    aws::AwsResponse start(const json& body) {
        // What the scenario's invalid Starts all name: the model's validation refuses them.
        if (body.dump().find("Rekognition_Mock_Conformance") != std::string::npos) {
            return error("InvalidParameterException");
        }
        const std::string name = body["Input"]["S3Object"]["Name"].get<std::string>();
        if (name.ends_with("-missing")) {
            return error("InvalidS3ObjectException");
        }
        const std::string token = body.value("ClientRequestToken", "");
        for (const Job& job : jobs_) {
            if (!token.empty() && job.token == token) {
                return job.request == body ? reply(200, json{{"JobId", job.id}})
                                           : error("IdempotentParameterMismatchException");
            }
        }
        Job job{id_of(jobs_.size()), json::object(), 0, false, token, body};
        job.description = description(job.id, 1'800'000'000.0 + static_cast<double>(started_));
        job.description["OperationsConfig"] = body["OperationsConfig"];
        job.description["Input"] = body["Input"];
        job.description["OutputConfig"] = body["OutputConfig"];
        if (body.contains("JobName")) {
            job.description["JobName"] = body["JobName"];
        }
        ++started_;
        jobs_.push_back(std::move(job));
        return reply(200, json{{"JobId", jobs_.back().id}});
    }

    FakeSkews skews_;
    unsigned polls_to_end_;
    std::vector<Job> jobs_;
    std::vector<std::pair<std::string, json>> calls_;
    std::size_t started_ = 0;
};

}  // namespace rekmock::testing
