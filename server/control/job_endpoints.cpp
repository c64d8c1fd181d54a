#include <cmath>
#include <limits>

#include "control_endpoints.hpp"
#include "job_description_json.hpp"
#include "job_listing.hpp"
#include "timestamp_json.hpp"

namespace rekmock::control {
namespace {

// "Lifecycles": {JobId: {QueuedTimestamp, InProgressTimestamp, CompletionTimestamp}} for the
// page's jobs that run on a schedule: what the lifecycle will do, beside the jobs as shown (so
// each job stays exactly what Get returns, and the answer still loads as a fixture).
void write_lifecycles(json::JsonWriter& out, const std::vector<JobView>& jobs) {
    out.begin_object("Lifecycles");
    for (const auto& view : jobs) {
        if (!view.schedule) {
            continue;
        }
        out.begin_object(view.shown.job_id);
        out.member("QueuedTimestamp", protocol::to_epoch_seconds(view.schedule->queued_at));
        out.member("InProgressTimestamp",
                   protocol::to_epoch_seconds(view.schedule->in_progress_at));
        if (view.completes_at) {
            out.member("CompletionTimestamp", protocol::to_epoch_seconds(*view.completes_at));
        }
        out.end_object();
    }
    out.end_object();
}

}  // namespace

Reply reset(ControlState& state, const ControlRequest& request) {
    const auto body = request.body();
    const bool scoped = body.string("AccountId") || body.string("Region");
    const bool reload_fixtures = body.boolean("ReloadFixtures").value_or(true);
    std::optional<Scope> scope;
    if (scoped) {
        scope = body_scope(state, body);
    }
    try {
        const ResetResult result = state.control.reset(scope, reload_fixtures);
        return reply(
            OJson{{"JobsDeleted", result.jobs_deleted}, {"JobsLoaded", result.jobs_loaded}});
    } catch (const service::FixturesNotLoadable& e) {
        // The files were edited since start-up and no longer load: nothing changed.
        throw ControlError(http::status::conflict, "FixturesNotLoadable", e.what());
    }
}

Reply dump_jobs(ControlState& state, const ControlRequest& request) {
    const Scope scope = query_scope(state, request);
    const JobListing listing = parse_job_listing(request.target.query);
    std::string text;
    json::JsonWriter out(text);
    out.begin_object();
    out.member("AccountId", scope.account);
    out.member("Region", scope.region);
    out.begin_array("MediaAnalysisJobs");
    if (listing.any()) {
        // One job is looked up by its key; otherwise every matching job when no MaxResults is
        // given, read in batches.
        const std::size_t limit = listing.max_results.value_or(std::numeric_limits<int>::max());
        const auto keep = [&](const MediaAnalysisJob& job) { return listing.matches(job); };
        const JobPage page = listing.job_id ? state.control.one(scope, *listing.job_id, keep)
                                            : state.control.page(scope, listing.after, limit, keep);
        for (const auto& view : page.jobs) {
            protocol::write_job_description(out, view.shown);
        }
        out.end_array();
        if (page.next) {
            out.member("NextToken", job_page_token(*page.next));
        }
        if (listing.include_lifecycle) {
            write_lifecycles(out, page.jobs);
        }
    } else {
        for (const auto& job : state.control.dump(scope)) {
            protocol::write_job_description(out, job);
        }
        out.end_array();
    }
    // The scope's rules too, so that the dump is the scope's whole world and loads back whole.
    if (const auto rules = state.control.rules(scope)) {
        out.key("ModerationRules");
        out.raw_value(rules->text);
    }
    out.end_object();
    return Reply{http::status::ok, std::move(text)};
}

Reply seed_jobs(ControlState& state, const ControlRequest& request) {
    storage::LoadResult seeded;
    try {
        seeded = state.control.seed(request.http.body());
    } catch (const service::FixturesNotLoadable& e) {
        bad_request(e.what());
    }
    OJson answer{{"JobsSeeded", seeded.jobs_loaded}};
    // Only when it happened: a JobId is unique across accounts, so seeding one another account
    // holds takes it away from that account, which the caller rarely means.
    if (seeded.jobs_moved > 0) {
        answer["JobsMoved"] = seeded.jobs_moved;
    }
    return reply(std::move(answer));
}

Reply set_job_status(ControlState& state, const ControlRequest& request) {
    const std::string& job_id = request.params.at("JobId");
    const auto body = request.body();
    const Scope scope = body_scope(state, body);
    const auto status = job_status_named(body.string("Status").value_or(""));
    std::optional<MediaAnalysisJobFailureDetails> failure;
    if (const auto details = body.object("FailureDetails")) {
        if (status != MediaAnalysisJobStatus::Failed) {
            bad_request("FailureDetails must be an object, and only with Status FAILED");
        }
        failure.emplace();
        if (const auto code = details->string("Code")) {
            failure->code = parse_failure_code(*code);
            if (!failure->code) {
                bad_request("FailureDetails.Code '" + *code +
                            "' is not a MediaAnalysisJobFailureCode");
            }
        }
        failure->message = details->string("Message");
    }
    const auto job = state.control.set_status(scope, job_id, status, failure);
    if (!job) {
        not_found("no job '" + job_id + "' in account " + scope.account + ", " + scope.region);
    }
    return Reply{http::status::ok, protocol::encode_job_description(*job)};
}

// Paces a started job by polls from now on: one state per PollsPerState Gets.
Reply set_job_progress(ControlState& state, const ControlRequest& request) {
    const std::string& job_id = request.params.at("JobId");
    const auto body = request.body();
    const Scope scope = body_scope(state, body);
    const auto polls = body.number("PollsPerState");
    if (!polls || !(*polls >= 1 && *polls <= 1'000'000) || std::floor(*polls) != *polls) {
        bad_request("PollsPerState must be a whole number from 1 to 1000000");
    }
    std::optional<MediaAnalysisJob> job;
    try {
        job = state.control.pace_by_polls(scope, job_id, static_cast<std::int64_t>(*polls));
    } catch (const NotPaceable& e) {
        throw ControlError(http::status::conflict, "JobNotPaceable", e.what());
    }
    if (!job) {
        not_found("no job '" + job_id + "' in account " + scope.account + ", " + scope.region);
    }
    return Reply{http::status::ok, protocol::encode_job_description(*job)};
}

Reply advance_clock(ControlState& state, const ControlRequest& request) {
    const auto by = request.body().number("Seconds");
    if (!by || !(*by >= 0 && *by <= 10.0 * 365 * 86400)) {
        bad_request("Seconds must be a number from 0 to ten years");
    }
    std::chrono::milliseconds offset{};
    try {
        offset = state.control.advance_clock(
            std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(*by * 1000))));
    } catch (const service::ClockOutOfRange& e) {
        bad_request("Seconds: " + std::string(e.what()));
    }
    return reply(OJson{{"ClockOffsetSeconds", std::chrono::duration<double>(offset).count()}});
}

}  // namespace rekmock::control
