#include "list_walk.hpp"

#include <boost/algorithm/string/join.hpp>
#include <set>

#include "compared_answer.hpp"
#include "job_members.hpp"
#include "json_members.hpp"
#include "timestamp_json.hpp"

namespace rekmock::conformance {
namespace {

using nlohmann::json;
using rekmock::json::string_member;

constexpr const char* kOperation = "ListMediaAnalysisJobs";
constexpr const char* kAnswers = "answers";
constexpr const char* kJobs = "jobs";
constexpr const char* kPagesBeforeLast = "pages before the last";
constexpr const char* kLastPage = "last page";
constexpr const char* kEmptyList = "empty list";
constexpr const char* kSameAsWhole = "the jobs of the MaxResults 100 walk, in its order";

std::optional<double> epoch_seconds(const json& job) {
    if (const auto stamp = job.find("CreationTimestamp");
        stamp != job.end() && stamp->is_number()) {
        return stamp->get<double>();
    }
    const auto text = string_member(job, "CreationTimestamp");
    const auto parsed = text ? protocol::parse_iso8601(*text) : std::nullopt;
    return parsed ? std::optional(protocol::to_epoch_seconds(*parsed)) : std::nullopt;
}

}  // namespace

std::vector<json> jobs_of(const aws::AwsResponse& page) {
    const json body = json::parse(page.body, nullptr, false);
    const auto jobs = body.find("MediaAnalysisJobs");
    if (!page.succeeded() || jobs == body.end() || !jobs->is_array()) {
        return {};
    }
    return {jobs->begin(), jobs->end()};
}

json envelope(const aws::AwsResponse& page) {
    json compared = compared_answer(page, BodyView::Values);
    if (page.succeeded() && compared["body"].is_object()) {
        compared["body"].erase("MediaAnalysisJobs");
        compared["body"].erase("NextToken");
    }
    return compared;
}

json list_request(int max_results, const std::optional<std::string>& next_token) {
    json request{{"MaxResults", max_results}};
    if (next_token) {
        request["NextToken"] = *next_token;
    }
    return request;
}

std::optional<std::string> next_token_of(const aws::AwsResponse& page) {
    return page.succeeded() ? string_member(json::parse(page.body, nullptr, false), "NextToken")
                            : std::nullopt;
}

ListWalk walk_list(const Endpoint& endpoint, int max_results,
                   const std::optional<std::string>& next_token) {
    ListWalk walk;
    walk.max_results = max_results;
    std::optional<std::string> token = next_token;
    std::set<std::string> tokens_seen;
    while (walk.pages.size() < kMaxWalkPages) {
        walk.pages.push_back(endpoint.call(kOperation, list_request(max_results, token).dump()));
        const aws::AwsResponse& page = walk.pages.back();
        if (!page.succeeded()) {
            break;
        }
        for (json& job : jobs_of(page)) {
            walk.jobs.push_back(std::move(job));
        }
        token = next_token_of(page);
        if (!token) {
            break;
        }
        if (!tokens_seen.insert(*token).second) {
            walk.token_repeated = true;
            break;
        }
    }
    return walk;
}

std::string page_kind(std::size_t jobs, int max_results, bool next_token, bool last) {
    const auto page = static_cast<std::size_t>(max_results);
    std::string kind;
    if (jobs > page) {
        kind = "more than MaxResults jobs";
    } else if (jobs == 0) {
        kind = "no jobs";
    } else if (last) {
        kind = "1 to MaxResults jobs";
    } else {
        kind = jobs == page ? "MaxResults jobs" : "fewer than MaxResults jobs";
    }
    return kind + (next_token ? " and a NextToken" : ", no NextToken");
}

std::optional<bool> newest_first(const std::vector<json>& jobs) {
    std::optional<double> previous;
    bool ordered = true;
    for (const json& job : jobs) {
        const auto seconds = epoch_seconds(job);
        if (!seconds) {
            return std::nullopt;
        }
        if (previous && *seconds > *previous) {
            ordered = false;
        }
        previous = seconds;
    }
    return ordered;
}

std::vector<std::string> job_ids(const std::vector<json>& jobs) {
    std::vector<std::string> ids;
    ids.reserve(jobs.size());
    for (const json& job : jobs) {
        ids.push_back(string_member(job, "JobId").value_or(""));
    }
    return ids;
}

json walk_facts(const ListWalk& walk, const ListWalk* whole) {
    json facts = json::object();
    if (walk.pages.empty()) {
        return facts;
    }
    facts[kAnswers] = envelope(walk.pages.front());
    for (std::size_t i = 1; i < walk.pages.size(); ++i) {
        if (json other = envelope(walk.pages[i]); other != facts[kAnswers]) {
            facts["answers from page " + std::to_string(i + 1)] = std::move(other);
            break;
        }
    }
    // Paging and order, over the pages that listed jobs.
    std::vector<std::string> kinds;
    for (std::size_t i = 0; i < walk.pages.size() && walk.pages[i].succeeded(); ++i) {
        const bool last = i + 1 == walk.pages.size();
        kinds.push_back(page_kind(jobs_of(walk.pages[i]).size(), walk.max_results,
                                  next_token_of(walk.pages[i]).has_value(), last));
    }
    if (kinds.empty()) {
        return facts;
    }
    if (walk.jobs.empty()) {
        facts[kEmptyList] = true;
        return facts;
    }
    if (kinds.size() > 1) {
        facts[kPagesBeforeLast] =
            boost::algorithm::join(std::set<std::string>(kinds.begin(), kinds.end() - 1), "; ");
    }
    facts[kLastPage] = kinds.back();
    if (walk.token_repeated) {
        facts["NextToken repeated"] = true;
    }
    const auto ordered = newest_first(walk.jobs);
    facts["newest first"] = ordered ? json(*ordered) : json("unreadable CreationTimestamp");
    const std::vector<std::string> ids = job_ids(walk.jobs);
    facts["each job once"] = std::set<std::string>(ids.begin(), ids.end()).size() == ids.size();
    if (whole != nullptr && whole != &walk) {
        facts[kSameAsWhole] = ids == job_ids(whole->jobs);
    }
    facts[kJobs] = shape_of(normalised_body(json(walk.jobs))).front();
    return facts;
}

DiffRules walk_rules() {
    const DiffRules jobs = optional_job_members(kJobs);
    return {[jobs](const std::string& path) {
        return path == kJobs || path == kPagesBeforeLast || path == kLastPage ||
               path == kEmptyList || path == kSameAsWhole || path == "newest first" ||
               path == "each job once" || jobs.may_be_absent(path);
    }};
}

Comparison compare_facts(const json& reference, const json& candidate, const DiffRules& rules) {
    const auto answers = [](const json& facts) {
        const auto found = facts.find(kAnswers);
        return found == facts.end() ? json() : *found;
    };
    const json ours = answers(reference);
    const json theirs = answers(candidate);
    if (ours.is_object() && theirs.is_object() &&
        ours.at("HTTP status") != theirs.at("HTTP status")) {
        Comparison out = compare_answers(ours, theirs);
        for (Difference& difference : out.differences) {
            difference.what = std::string(kAnswers) + "." + difference.what;
        }
        return out;
    }
    Comparison out;
    diff(reference, candidate, {}, rules, out);
    return out;
}

}  // namespace rekmock::conformance
