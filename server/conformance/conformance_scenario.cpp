#include "conformance_scenario.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "comma_list.hpp"
#include "compared_answer.hpp"
#include "job_members.hpp"
#include "json_members.hpp"
#include "list_walk.hpp"
#include "rekognition_client.hpp"
#include "start_violations.hpp"

namespace rekmock::conformance {
namespace {

using nlohmann::json;
using rekmock::json::string_member;

const std::string kList = "ListMediaAnalysisJobs";
const std::string kGet = "GetMediaAnalysisJob";
const std::string kStart = "StartMediaAnalysisJob";
constexpr int kWholePage = 100;  // the model's largest MaxResults

// What an answer was, in short: "200", "400 InvalidParameterException", "no answer: ...".
std::string summary_of(const aws::AwsResponse& response) {
    if (response.status == 0) {
        return "no answer: " + response.body;
    }
    const std::string type = response.succeeded() ? "" : aws::json_error_of(response).type;
    return std::to_string(response.status) + (type.empty() ? "" : " " + type);
}

std::string summary_of(const ListWalk& walk) {
    std::string text = std::to_string(walk.pages.size()) +
                       (walk.pages.size() == 1 ? " page, " : " pages, ") +
                       std::to_string(walk.jobs.size()) + " jobs";
    if (!walk.pages.empty() && !walk.pages.back().succeeded()) {
        text += ", then " + summary_of(walk.pages.back());
    }
    return text;
}

json body_of(const aws::AwsResponse& response) {
    json body = json::parse(response.body, nullptr, false);
    return body.is_object() ? body : json::object();
}

// Whether `statuses` are all the lifecycle's, in its order: CREATED < QUEUED < IN_PROGRESS <
// SUCCEEDED, FAILED.
bool in_lifecycle_order(const std::vector<std::string>& statuses) {
    static const std::map<std::string, int> kRanks{
        {"CREATED", 0}, {"QUEUED", 1}, {"IN_PROGRESS", 2}, {"SUCCEEDED", 3}, {"FAILED", 3}};
    int previous = 0;
    for (const std::string& status : statuses) {
        const auto rank = kRanks.find(status);
        if (rank == kRanks.end() || rank->second < previous) {
            return false;
        }
        previous = rank->second;
    }
    return true;
}

// Whether `response` refuses the caller rather than the call: 401, 403, or the error types AWS's
// JSON services give a bad key, signature or token, or a caller without the permission, with 400.
bool refuses_caller(const aws::AwsResponse& response) {
    static const std::set<std::string> kTypes{
        "UnrecognizedClientException",  "InvalidSignatureException",
        "IncompleteSignatureException", "MissingAuthenticationTokenException",
        "ExpiredTokenException",        "InvalidClientTokenId",
        "AccessDeniedException",        "AccessDenied"};
    return response.status == 401 || response.status == 403 ||
           (response.status == 400 && kTypes.contains(aws::json_error_of(response).type));
}

// One endpoint as the scenario calls it: an answer that never came is an answer of status 0
// (its body the reason), except on the first call, which aborts the run, as an answer refusing
// the caller does.
class Side {
  public:
    Side(const Endpoint& endpoint, std::string role)
        : endpoint_(endpoint),
          role_(std::move(role)),
          wrapped_{endpoint.url, [this](std::string_view operation, const std::string& body) {
                       return call(operation, body);
                   }} {}
    Side(const Side&) = delete;
    Side& operator=(const Side&) = delete;

    aws::AwsResponse call(std::string_view operation, const std::string& body) {
        try {
            aws::AwsResponse response = endpoint_.call(operation, body);
            if (!answered_ && refuses_caller(response)) {
                const aws::AwsJsonError error = aws::json_error_of(response);
                throw ScenarioAborted("the " + role_ + " " + endpoint_.url + " refused " +
                                      std::string(operation) + ": HTTP " +
                                      std::to_string(response.status) + " " + error.type +
                                      (error.message ? ": " + *error.message : std::string()));
            }
            answered_ = true;
            return response;
        } catch (const aws::AwsUnavailable& e) {
            if (!answered_) {
                throw ScenarioAborted("the " + role_ + " " + endpoint_.url +
                                      " did not answer: " + e.what());
            }
            aws::AwsResponse none;
            none.body = e.what();
            return none;
        }
    }

    aws::AwsResponse call(std::string_view operation, const json& body) {
        return call(operation, body.dump());
    }

    ListWalk walk(int max_results, const std::optional<std::string>& token = std::nullopt) {
        return walk_list(wrapped_, max_results, token);
    }

  private:
    const Endpoint& endpoint_;
    std::string role_;
    Endpoint wrapped_;
    bool answered_ = false;
};

// A job started on both sides (or tried: a side whose Start was refused has no JobId).
struct StartedJob {
    std::string started_by;  // the name of the Start's row
    std::optional<std::string> reference_id;
    std::optional<std::string> candidate_id;
};

// A started job followed on one side.
struct Followed {
    aws::AwsResponse last;
    std::vector<std::string> statuses;  // each status seen, in order, once per change
    bool ended = false;
};

class Run {
  public:
    Run(const ScenarioSettings& settings, const Endpoint& reference, const Endpoint& candidate,
        const std::function<void(const CallReport&)>& on_call)
        : settings_(settings),
          reference_(reference, "reference"),
          candidate_(candidate, "candidate"),
          on_call_(on_call) {}

    std::vector<CallReport> take() { return std::move(reports_); }

    void read_only() {
        const ListWalk whole_reference = reference_.walk(kWholePage);
        const ListWalk whole_candidate = candidate_.walk(kWholePage);
        add_walk(whole_reference, whole_candidate, nullptr, nullptr);
        const ListWalk single_reference = reference_.walk(1);
        const ListWalk single_candidate = candidate_.walk(1);
        add_walk(single_reference, single_candidate, &whole_reference, &whole_candidate);
        const ListWalk pairs_reference = reference_.walk(2);
        const ListWalk pairs_candidate = candidate_.walk(2);
        add_walk(pairs_reference, pairs_candidate, &whole_reference, &whole_candidate);

        const DiffRules jobs = optional_job_members("body.MediaAnalysisJobs[]");
        const DiffRules page_rules{[jobs](const std::string& path) {
            return path == "body.NextToken" || jobs.may_be_absent(path);
        }};
        for (const int max_results : {0, 101}) {
            add_same_call(kList + " MaxResults " + std::to_string(max_results) + " (1 to 100)",
                          kList, json{{"MaxResults", max_results}}, page_rules);
        }
        add_same_call(kList + " MaxResults \"ten\", not a number", kList,
                      json{{"MaxResults", "ten"}}, page_rules);
        add_same_call(kList + " with a malformed NextToken", kList,
                      json{{"MaxResults", 10}, {"NextToken", "rekognition-mock-conformance-token"}},
                      page_rules);
        add_same_call(kList + " with a NextToken of 1025 characters (at most 1024)", kList,
                      json{{"MaxResults", 10}, {"NextToken", std::string(1025, 'A')}}, page_rules);
        add_token_from_another_page_size(single_reference, single_candidate, whole_reference,
                                         whole_candidate);

        add_get_of_newest(whole_reference, whole_candidate);
        const DiffRules job_rules = optional_job_members("body");
        add_same_call(kGet + " of an unknown JobId", kGet, json{{"JobId", std::string(64, '0')}},
                      job_rules);
        add_same_call(kGet + " of a JobId outside its pattern", kGet,
                      json{{"JobId", "not a job id"}}, job_rules);
        add_same_call(kGet + " of a JobId of 65 characters (at most 64)", kGet,
                      json{{"JobId", std::string(65, 'a')}}, job_rules);
        add_same_call(kGet + " without JobId (required)", kGet, json::object(), job_rules);

        for (const StartViolation& violation : start_violations()) {
            add_same_call(kStart + " " + violation.name, kStart, violation.request, {});
        }
    }

    // After the read-only calls: jobs started, followed to their end, and listed.
    void full() {
        read_only();
        const std::string suffix = "rekognition-mock-conformance-" + settings_.run_id;
        const json input{
            {"S3Object",
             {{"Bucket", settings_.manifest_bucket}, {"Name", settings_.manifest_key}}}};
        const json started{
            {"ClientRequestToken", suffix},
            {"JobName", suffix},
            {"OperationsConfig", {{"DetectModerationLabels", {{"MinConfidence", 50}}}}},
            {"Input", input},
            {"OutputConfig",
             {{"S3Bucket", settings_.output_bucket},
              {"S3KeyPrefix", "rekognition-mock-conformance"}}}};

        std::vector<StartedJob> jobs;
        jobs.push_back(add_start(kStart + " on the manifest", started));
        add_start_again(jobs.front(), started);
        json mismatched = started;
        mismatched["JobName"] = suffix + "-other";
        add_same_call(kStart + " with that ClientRequestToken and another JobName", kStart,
                      mismatched, {});
        jobs.push_back(
            add_start(kStart + " with only the required members",
                      json{{"OperationsConfig", {{"DetectModerationLabels", json::object()}}},
                           {"Input", input},
                           {"OutputConfig", {{"S3Bucket", settings_.output_bucket}}}}));
        json missing = started;
        missing["ClientRequestToken"] = suffix + "-missing";
        missing["Input"]["S3Object"]["Name"] =
            settings_.manifest_key + ".rekognition-mock-conformance-missing";
        jobs.push_back(add_start(kStart + " on a manifest that does not exist", missing));

        std::erase_if(jobs,
                      [](const StartedJob& job) { return !job.reference_id || !job.candidate_id; });
        std::vector<Followed> reference_jobs;
        std::vector<Followed> candidate_jobs;
        follow(jobs, reference_jobs, candidate_jobs);
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            add_followed(jobs[i], reference_jobs[i], candidate_jobs[i]);
        }
        add_listed(jobs, reference_jobs, candidate_jobs);
    }

  private:
    void add(CallReport report) {
        if (on_call_) {
            on_call_(report);
        }
        reports_.push_back(std::move(report));
    }

    // Adds `report` uncompared: the side other than `reference_gave`'s `lacks` what it needs.
    void add_not_compared(CallReport report, bool reference_gave, const char* lacks) {
        report.compared = false;
        report.comparison.notes.push_back(std::string("not compared: the ") +
                                          (reference_gave ? "candidate" : "reference") + lacks);
        add(std::move(report));
    }

    void add_walk(const ListWalk& reference, const ListWalk& candidate,
                  const ListWalk* whole_reference, const ListWalk* whole_candidate) {
        add({kList + " MaxResults " + std::to_string(reference.max_results) + ", every page", kList,
             list_request(reference.max_results, std::nullopt), summary_of(reference),
             summary_of(candidate),
             compare_facts(walk_facts(reference, whole_reference),
                           walk_facts(candidate, whole_candidate), walk_rules())});
    }

    // The same request to both sides, their answers compared (a 2xx body by its shape).
    void add_same_call(std::string name, const std::string& operation, const json& request,
                       const DiffRules& rules) {
        const aws::AwsResponse ours = reference_.call(operation, request);
        const aws::AwsResponse theirs = candidate_.call(operation, request);
        add({std::move(name), operation, request, summary_of(ours), summary_of(theirs),
             compare_answers(compared_answer(ours, BodyView::Shape),
                             compared_answer(theirs, BodyView::Shape), rules)});
    }

    // A NextToken of MaxResults 1's first page, sent with MaxResults 2: each side's own token,
    // which both AWS and the mock take as a position (the page size is not part of it).
    void add_token_from_another_page_size(const ListWalk& single_reference,
                                          const ListWalk& single_candidate,
                                          const ListWalk& whole_reference,
                                          const ListWalk& whole_candidate) {
        CallReport report{kList + " MaxResults 2 with the NextToken of MaxResults 1's page 1",
                          kList,
                          json{{"MaxResults", 2}, {"NextToken", "<MaxResults 1's NextToken>"}}};
        const auto ours = single_reference.pages.empty()
                              ? std::nullopt
                              : next_token_of(single_reference.pages.front());
        const auto theirs = single_candidate.pages.empty()
                                ? std::nullopt
                                : next_token_of(single_candidate.pages.front());
        if (!ours || !theirs) {
            return add_not_compared(std::move(report), ours.has_value(),
                                    " gave no NextToken on MaxResults 1's first page");
        }
        const auto facts = [](Side& side, const std::string& token, const ListWalk& whole,
                              std::string& summary) {
            const aws::AwsResponse page = side.call(kList, list_request(2, token));
            summary = summary_of(page);
            json found{{"answers", envelope(page)}};
            const std::vector<json> jobs = jobs_of(page);
            if (!jobs.empty()) {
                found["page"] = page_kind(jobs.size(), 2, false, true);
                const std::vector<std::string> ids = job_ids(jobs);
                const std::vector<std::string> listed = job_ids(whole.jobs);
                // MaxResults 1's page 1 held the first job listed: the page goes on from there.
                const std::vector<std::string> after(
                    listed.begin() + std::min<std::ptrdiff_t>(1, std::ssize(listed)),
                    listed.begin() + std::min(std::ssize(listed), std::ssize(ids) + 1));
                found["the jobs after MaxResults 1's page 1"] = ids == after;
                found["jobs"] = shape_of(normalised_body(json(jobs))).front();
            }
            return found;
        };
        const json reference = facts(reference_, *ours, whole_reference, report.reference_answer);
        const json candidate = facts(candidate_, *theirs, whole_candidate, report.candidate_answer);
        report.comparison = compare_facts(reference, candidate, walk_rules());
        add(std::move(report));
    }

    void add_get_of_newest(const ListWalk& whole_reference, const ListWalk& whole_candidate) {
        CallReport report{kGet + " of the newest job listed", kGet,
                          json{{"JobId", "<the first JobId MaxResults 100 lists>"}}};
        const auto newest = [](const ListWalk& walk) {
            return walk.jobs.empty() ? std::nullopt : string_member(walk.jobs.front(), "JobId");
        };
        const auto ours = newest(whole_reference);
        const auto theirs = newest(whole_candidate);
        if (!ours || !theirs) {
            return add_not_compared(std::move(report), ours.has_value(), " lists no job");
        }
        const auto facts = [](Side& side, const std::string& id, const json& listed,
                              std::string& summary) {
            const aws::AwsResponse answer = side.call(kGet, json{{"JobId", id}});
            summary = summary_of(answer);
            json found{{"answers", compared_answer(answer, BodyView::Shape)}};
            if (answer.succeeded()) {
                found["the members List shows for it"] =
                    shape_of(normalised_body(body_of(answer))) == shape_of(normalised_body(listed));
            }
            return found;
        };
        const json reference =
            facts(reference_, *ours, whole_reference.jobs.front(), report.reference_answer);
        const json candidate =
            facts(candidate_, *theirs, whole_candidate.jobs.front(), report.candidate_answer);
        report.comparison =
            compare_facts(reference, candidate, optional_job_members("answers.body"));
        add(std::move(report));
    }

    StartedJob add_start(std::string name, const json& request) {
        const aws::AwsResponse ours = reference_.call(kStart, request);
        const aws::AwsResponse theirs = candidate_.call(kStart, request);
        const auto id = [](const aws::AwsResponse& answer) {
            return answer.succeeded() ? string_member(body_of(answer), "JobId") : std::nullopt;
        };
        StartedJob job{name, id(ours), id(theirs)};
        add({std::move(name), kStart, request, summary_of(ours), summary_of(theirs),
             compare_answers(compared_answer(ours, BodyView::Values),
                             compared_answer(theirs, BodyView::Values))});
        return job;
    }

    void add_start_again(const StartedJob& first, const json& request) {
        const auto facts = [&request](Side& side, const std::optional<std::string>& id,
                                      std::string& summary) {
            const aws::AwsResponse answer = side.call(kStart, request);
            summary = summary_of(answer);
            json found{{"answers", compared_answer(answer, BodyView::Values)}};
            if (answer.succeeded()) {
                found["the first Start's JobId"] =
                    id && string_member(body_of(answer), "JobId") == id;
            }
            return found;
        };
        CallReport report{kStart + " again with the same ClientRequestToken", kStart, request};
        const json reference = facts(reference_, first.reference_id, report.reference_answer);
        const json candidate = facts(candidate_, first.candidate_id, report.candidate_answer);
        report.comparison = compare_facts(reference, candidate, {});
        add(std::move(report));
    }

    // Gets every job on both sides until each ended or the patience is spent.
    void follow(const std::vector<StartedJob>& jobs, std::vector<Followed>& reference,
                std::vector<Followed>& candidate) {
        reference.assign(jobs.size(), Followed{});
        candidate.assign(jobs.size(), Followed{});
        const FollowPolicy& policy = settings_.follow;
        auto pause = policy.first_pause;
        std::chrono::milliseconds waited{0};
        for (;;) {
            bool all_ended = true;
            for (std::size_t i = 0; i < jobs.size(); ++i) {
                poll(reference_, *jobs[i].reference_id, reference[i]);
                poll(candidate_, *jobs[i].candidate_id, candidate[i]);
                all_ended = all_ended && reference[i].ended && candidate[i].ended;
            }
            if (all_ended || waited + pause > policy.patience) {
                return;
            }
            if (policy.waiting) {
                const auto statuses = [](const std::vector<Followed>& followed) {
                    return comma_list(followed, [](const Followed& job) {
                        return job.statuses.empty() ? summary_of(job.last) : job.statuses.back();
                    });
                };
                policy.waiting("jobs not ended after " + std::to_string(waited.count() / 1000) +
                               " s: reference " + statuses(reference) + "; candidate " +
                               statuses(candidate));
            }
            if (policy.sleep) {
                policy.sleep(pause);
            } else {
                std::this_thread::sleep_for(pause);
            }
            waited += pause;
            pause = std::min(pause * 2, policy.max_pause);
        }
    }

    static void poll(Side& side, const std::string& id, Followed& job) {
        if (job.ended) {
            return;
        }
        job.last = side.call(kGet, json{{"JobId", id}});
        const auto status = string_member(body_of(job.last), "Status");
        if (!job.last.succeeded() || !status) {
            job.ended = true;  // nothing more to follow: the answer is compared as it is
            return;
        }
        if (job.statuses.empty() || job.statuses.back() != *status) {
            job.statuses.push_back(*status);
        }
        job.ended = status == "SUCCEEDED" || status == "FAILED";
    }

    void add_followed(const StartedJob& job, const Followed& reference, const Followed& candidate) {
        CallReport report{kGet + " until it ends, of the job of: " + job.started_by, kGet,
                          json{{"JobId", "<the JobId it answered>"}}};
        const auto facts = [](const Followed& followed, std::string& summary) {
            summary = summary_of(followed.last) + ", statuses seen: ";
            for (std::size_t i = 0; i < followed.statuses.size(); ++i) {
                summary += (i == 0 ? "" : ", ") + followed.statuses[i];
            }
            return json{
                {"answers", compared_answer(followed.last, BodyView::Values)},
                {"ended", followed.ended},
                {"statuses seen in lifecycle order", in_lifecycle_order(followed.statuses)}};
        };
        const json ours = facts(reference, report.reference_answer);
        const json theirs = facts(candidate, report.candidate_answer);
        report.comparison =
            compare_facts(ours, theirs, setup_dependent_job_members("answers.body"));
        add(std::move(report));
    }

    // The started jobs as List shows them, once they ended.
    void add_listed(const std::vector<StartedJob>& jobs, const std::vector<Followed>& reference,
                    const std::vector<Followed>& candidate) {
        if (jobs.empty()) {
            return;
        }
        const ListWalk ours = reference_.walk(kWholePage);
        const ListWalk theirs = candidate_.walk(kWholePage);
        const auto listed = [](const ListWalk& walk, const std::string& id) -> const json* {
            const auto job = std::find_if(walk.jobs.begin(), walk.jobs.end(), [&id](const json& j) {
                return string_member(j, "JobId") == id;
            });
            return job == walk.jobs.end() ? nullptr : &*job;
        };
        const auto facts = [&listed](const ListWalk& walk, const std::string& id,
                                     const Followed& followed) {
            const json* job = listed(walk, id);
            if (job == nullptr) {
                return json{{"listed", false}};
            }
            return json{
                {"listed", true},
                {"description", normalised_body(*job)},
                {"as GetMediaAnalysisJob last answered it", body_of(followed.last) == *job}};
        };
        for (std::size_t i = 0; i < jobs.size(); ++i) {
            add({kList + " MaxResults 100, the job of: " + jobs[i].started_by, kList,
                 list_request(kWholePage, std::nullopt), summary_of(ours), summary_of(theirs),
                 compare_facts(facts(ours, *jobs[i].reference_id, reference[i]),
                               facts(theirs, *jobs[i].candidate_id, candidate[i]),
                               setup_dependent_job_members("description"))});
        }
        // The jobs were started one after the other: the last started is the newest.
        const auto on_top = [&jobs](const ListWalk& walk, bool reference_side) {
            const std::vector<std::string> ids = job_ids(walk.jobs);
            if (ids.size() < jobs.size()) {
                return false;
            }
            for (std::size_t i = 0; i < jobs.size(); ++i) {
                const StartedJob& job = jobs[jobs.size() - 1 - i];
                if (ids[i] != (reference_side ? *job.reference_id : *job.candidate_id)) {
                    return false;
                }
            }
            return true;
        };
        const std::string fact = "first in the list, the last started first";
        add({kList + " MaxResults 100, the started jobs", kList,
             list_request(kWholePage, std::nullopt), summary_of(ours), summary_of(theirs),
             compare_facts(json{{fact, on_top(ours, true)}}, json{{fact, on_top(theirs, false)}},
                           {})});
    }

    const ScenarioSettings& settings_;
    Side reference_;
    Side candidate_;
    const std::function<void(const CallReport&)>& on_call_;
    std::vector<CallReport> reports_;
};

}  // namespace

std::vector<CallReport> run_scenario(const ScenarioSettings& settings, const Endpoint& reference,
                                     const Endpoint& candidate,
                                     const std::function<void(const CallReport&)>& on_call) {
    Run run(settings, reference, candidate, on_call);
    if (settings.kind == ScenarioKind::Full) {
        run.full();
    } else {
        run.read_only();
    }
    return run.take();
}

}  // namespace rekmock::conformance
