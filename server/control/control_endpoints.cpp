#include "control_endpoints.hpp"

#include <cmath>
#include <limits>
#include <utility>

#include "byte_stream_body.hpp"
#include "error_response.hpp"
#include "fixture_reader.hpp"
#include "job_description_json.hpp"
#include "job_listing.hpp"
#include "moderation_rules_json.hpp"
#include "operations.hpp"
#include "request_filter.hpp"
#include "request_log_query.hpp"
#include "results_page.hpp"
#include "timestamp_json.hpp"
#include "ui_endpoints.hpp"

namespace rekmock::control {
namespace {

namespace http = boost::beast::http;
using OJson = nlohmann::ordered_json;

// The scope named by AccountId and Region (each defaulting); a BadRequest when one is invalid.
Scope scope_of(const std::optional<std::string>& account, const std::optional<std::string>& region,
               const std::string& default_account) {
    try {
        return parse_scope(account, region, Scope{default_account, std::string(kDefaultRegion)});
    } catch (const InvalidScope& e) {
        bad_request(e.what());
    }
}

// The error types a fault rule may inject: the throttling, capacity, server and permission
// errors every Rekognition operation can answer.
std::optional<service::ErrorKind> injectable_error(const std::string& type) {
    const auto kind = protocol::error_kind_named(type);
    if (kind == service::ErrorKind::Throttling ||
        kind == service::ErrorKind::ProvisionedThroughputExceeded ||
        kind == service::ErrorKind::InternalServerError ||
        kind == service::ErrorKind::AccessDenied) {
        return kind;
    }
    return std::nullopt;
}

protocol::FaultRule parse_fault_rule(const JsonObject& body) {
    protocol::FaultRule rule;
    rule.operation = body.string("Operation").value_or("*");
    if (rule.operation != "*" && protocol::find_operation(rule.operation) == nullptr) {
        bad_request(
            "Operation must be \"*\" or one of GetMediaAnalysisJob, ListMediaAnalysisJobs, "
            "StartMediaAnalysisJob, not '" +
            rule.operation + "'");
    }
    if (const auto error = body.string("Error")) {
        rule.error = injectable_error(*error);
        if (!rule.error) {
            bad_request(
                "Error must be one of ThrottlingException, "
                "ProvisionedThroughputExceededException, InternalServerError, "
                "AccessDeniedException, not '" +
                *error + "'");
        }
    }
    const double latency = body.number("LatencyMs").value_or(0);
    if (!(latency >= 0 && latency <= 60'000)) {
        bad_request("LatencyMs must be between 0 and 60000");
    }
    rule.latency = std::chrono::milliseconds(static_cast<std::int64_t>(latency));
    if (!rule.error && rule.latency.count() == 0) {
        bad_request("a fault rule needs an Error, a LatencyMs above 0, or both");
    }
    const auto count = body.number("Count");
    const auto probability = body.number("Probability");
    if (count.has_value() == probability.has_value()) {
        bad_request("a fault rule needs exactly one of Count and Probability");
    }
    if (count) {
        if (!(*count >= 1 && *count <= 1e9) || std::floor(*count) != *count) {
            bad_request("Count must be a whole number from 1");
        }
        rule.count = static_cast<std::int64_t>(*count);
    } else {
        if (!(*probability > 0 && *probability <= 1)) {
            bad_request("Probability must be above 0 and at most 1");
        }
        rule.probability = *probability;
        const double seed = body.number("Seed").value_or(0);
        if (!(seed >= 0 && seed <= 9007199254740991.0) || std::floor(seed) != seed) {
            bad_request("Seed must be a whole number from 0 to 2^53-1");
        }
        rule.seed = static_cast<std::uint64_t>(seed);
    }
    return rule;
}

OJson fault_json(const protocol::FaultRuleState& state) {
    OJson out{{"Id", state.id}, {"Operation", state.rule.operation}};
    if (state.rule.error) {
        out["Error"] = protocol::error_type_name(*state.rule.error);
    }
    out["LatencyMs"] = state.rule.latency.count();
    if (state.rule.count) {
        out["RemainingCount"] = *state.rule.count;
    } else {
        out["Probability"] = state.rule.probability.value_or(1.0);
        out["Seed"] = state.rule.seed;
    }
    out["Fired"] = state.fired;
    return out;
}

Reply localstack_health(ControlState& state, const ControlRequest&) {
    return reply(OJson{{"services", {{"rekognition", "running"}}},
                       {"edition", "community"},
                       {"version", "rekognition-mock " + state.info.version}});
}

Reply mock_health(ControlState& state, const ControlRequest&) {
    OJson scopes = OJson::array();
    for (const auto& [scope, jobs] : state.control.job_counts()) {
        scopes.push_back(
            OJson{{"AccountId", scope.account}, {"Region", scope.region}, {"Jobs", jobs}});
    }
    const std::chrono::duration<double> uptime =
        std::chrono::steady_clock::now() - state.info.started;
    const auto store_problem = state.control.store_problem();
    OJson body{{"Status", store_problem ? "degraded" : "ready"}, {"Version", state.info.version}};
    body["UptimeSeconds"] = std::round(uptime.count() * 1000.0) / 1000.0;
    body["Store"] = OJson{{"Kind", state.info.store_location == ":memory:" ? "memory" : "file"},
                          {"Location", state.info.store_location}};
    if (store_problem) {
        body["Store"]["Problem"] = *store_problem;
        // As every control error reads, so the clients' exceptions say why.
        body["Error"] = "StoreFileLost";
        body["Message"] = *store_problem;
    }
    // "folder /data/s3" -> {"Kind": "folder", "Location": "/data/s3"}; no store: Kind "none".
    const std::string& objects = state.info.object_store;
    const auto space = objects.find(' ');
    body["ObjectStore"] =
        objects.empty()
            ? OJson{{"Kind", "none"}}
            : OJson{{"Kind", objects.substr(0, space)},
                    {"Location",
                     space == std::string::npos ? std::string() : objects.substr(space + 1)}};
    body["DefaultAccountId"] = state.info.default_account;
    body["ClockOffsetSeconds"] =
        std::chrono::duration<double>(state.control.clock().offset()).count();
    // The instant jobs are shown at, so a view of their lifecycles can mark "now" as the mock
    // sees it, whatever the viewer's own clock says.
    body["Now"] = protocol::to_epoch_seconds(state.control.clock().now());
    body["Scopes"] = std::move(scopes);
    body["Ui"] = std::string(kUiPath);
    // 503 while degraded, so a readiness probe takes out of service a mock that cannot keep jobs.
    return reply(body, store_problem ? http::status::service_unavailable : http::status::ok);
}

Reply reset(ControlState& state, const ControlRequest& request) {
    const JsonObject body = request.body();
    const auto account = body.string("AccountId");
    const auto region = body.string("Region");
    const bool reload_fixtures = body.flag("ReloadFixtures").value_or(true);
    std::optional<Scope> scope;
    if (account || region) {
        scope = scope_of(account, region, state.info.default_account);
    }
    try {
        const service::ResetResult result = state.control.reset(scope, reload_fixtures);
        return reply(
            OJson{{"JobsDeleted", result.jobs_deleted}, {"JobsLoaded", result.jobs_loaded}});
    } catch (const fixtures::FixtureError& e) {
        // The files were edited since start-up and no longer load: nothing changed.
        throw ControlError(http::status::conflict, "FixturesNotLoadable", e.what());
    }
}

// "Lifecycles": {JobId: {QueuedTimestamp, InProgressTimestamp, CompletionTimestamp}} for the
// page's jobs that run on a schedule: what the lifecycle will do, beside the jobs as shown (so
// each job stays exactly what Get returns, and the answer still loads as a fixture).
void write_lifecycles(json::JsonWriter& out, const std::vector<service::JobView>& jobs) {
    out.key("Lifecycles");
    out.begin_object();
    for (const auto& view : jobs) {
        if (!view.schedule) {
            continue;
        }
        out.key(view.shown.job_id);
        out.begin_object();
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

Reply dump_jobs(ControlState& state, const ControlRequest& request) {
    const Scope scope =
        scope_of(request.query("AccountId"), request.query("Region"), state.info.default_account);
    const JobListing listing = parse_job_listing(request.target.query);
    std::string text;
    json::JsonWriter out(text);
    out.begin_object();
    out.member("AccountId", scope.account);
    out.member("Region", scope.region);
    out.key("MediaAnalysisJobs");
    out.begin_array();
    if (listing.any()) {
        // One job is looked up by its key; otherwise every matching job when no MaxResults is
        // given, read in batches.
        const std::size_t limit = listing.max_results.value_or(std::numeric_limits<int>::max());
        const auto keep = [&](const MediaAnalysisJob& job) { return listing.matches(job); };
        const service::JobPage page = listing.job_id
                                          ? state.control.one(scope, *listing.job_id, keep)
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
    if (state.rules != nullptr) {
        if (const auto rules = state.rules->rules(scope)) {
            out.key("ModerationRules");
            out.raw_value(rules->text);
        }
    }
    out.end_object();
    return Reply{http::status::ok, std::move(text)};
}

Reply seed_jobs(ControlState& state, const ControlRequest& request) {
    storage::LoadResult seeded;
    try {
        seeded = state.control.seed(request.http.body());
    } catch (const fixtures::FixtureError& e) {
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
    const JsonObject body = request.body();
    const Scope scope =
        scope_of(body.string("AccountId"), body.string("Region"), state.info.default_account);
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
    const JsonObject body = request.body();
    const Scope scope =
        scope_of(body.string("AccountId"), body.string("Region"), state.info.default_account);
    const auto polls = body.number("PollsPerState");
    if (!polls || !(*polls >= 1 && *polls <= 1'000'000) || std::floor(*polls) != *polls) {
        bad_request("PollsPerState must be a whole number from 1 to 1000000");
    }
    std::optional<MediaAnalysisJob> job;
    try {
        job = state.control.pace_by_polls(scope, job_id, static_cast<std::int64_t>(*polls));
    } catch (const service::NotPaceable& e) {
        throw ControlError(http::status::conflict, "JobNotPaceable", e.what());
    }
    if (!job) {
        not_found("no job '" + job_id + "' in account " + scope.account + ", " + scope.region);
    }
    return Reply{http::status::ok, protocol::encode_job_description(*job)};
}

// Objects up to this size are answered whole, with an ETag a poller revalidates; larger ones
// stream, so an answer holds no more than a streamed response's chunk of either.
constexpr std::uint64_t kWholeAnswerBytes = 64 * 1024;

// `bytes`, an object's, as a verbatim answer of `content_type`.
Reply object_reply(ControlState& state, std::unique_ptr<service::ByteStream> bytes,
                   std::string content_type) {
    if (bytes->size() > kWholeAnswerBytes) {
        return Reply{http::status::ok,
                     {},
                     std::move(content_type),
                     true,
                     {},
                     std::make_shared<ByteStreamBody>(std::move(bytes), state.control)};
    }
    std::string whole(static_cast<std::size_t>(bytes->size()), '\0');
    std::size_t filled = 0;
    while (filled < whole.size()) {
        const std::size_t got = bytes->read(whole.data() + filled, whole.size() - filled);
        if (got == 0) {
            break;
        }
        filled += got;
    }
    whole.resize(filled);
    return Reply{http::status::ok, std::move(whole), std::move(content_type), true};
}

// A job's output as the object store holds it; the scope comes from the query, as for dumps.
// A results file may be read a page of lines at a time (results_page.hpp).
Reply job_output(ControlState& state, const ControlRequest& request, service::JobOutput which) {
    const Scope scope =
        scope_of(request.query("AccountId"), request.query("Region"), state.info.default_account);
    const bool results = which == service::JobOutput::Results;
    const auto page_query = results ? parse_results_page_query(request.target.query) : std::nullopt;
    try {
        auto bytes = state.control.output(scope, request.params.at("JobId"), which);
        if (!page_query) {
            return object_reply(state, std::move(bytes),
                                results ? "application/jsonl" : "application/json");
        }
        ResultsPage page = read_results_page(*bytes, *page_query);
        Reply reply{http::status::ok, std::move(page.lines), "application/jsonl", true};
        if (page.next) {
            reply.headers.emplace_back(kNextTokenHeader, results_page_token(*page.next));
        }
        return reply;
    } catch (const service::OutputUnavailable& e) {
        not_found(e.what());
    }
}

Reply job_results(ControlState& state, const ControlRequest& request) {
    return job_output(state, request, service::JobOutput::Results);
}

Reply job_manifest_summary(ControlState& state, const ControlRequest& request) {
    return job_output(state, request, service::JobOutput::ManifestSummary);
}

// An image a results line names, for the browser view's table of results; JPEG and PNG only.
Reply image(ControlState& state, const ControlRequest& request) {
    const auto bucket = request.query("Bucket");
    const auto key = request.query("Key");
    if (!bucket || bucket->empty() || !key || key->empty()) {
        bad_request("Bucket and Key must name the image (VersionId is optional)");
    }
    try {
        service::ImageStream image =
            state.control.image(S3Object{*bucket, *key, request.query("VersionId")});
        return object_reply(state, std::move(image.bytes), std::move(image.content_type));
    } catch (const service::OutputUnavailable& e) {
        not_found(e.what());
    }
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

Reply list_faults(ControlState& state, const ControlRequest&) {
    OJson rules = OJson::array();
    for (const auto& rule : state.faults.list()) {
        rules.push_back(fault_json(rule));
    }
    return reply(OJson{{"Faults", std::move(rules)}});
}

Reply add_fault(ControlState& state, const ControlRequest& request) {
    const std::string id = state.faults.add(parse_fault_rule(request.body()));
    for (const auto& rule : state.faults.list()) {
        if (rule.id == id) {
            return reply(fault_json(rule), boost::beast::http::status::created);
        }
    }
    // Already spent or removed by a concurrent call.
    return reply(OJson{{"Id", id}}, boost::beast::http::status::created);
}

Reply clear_faults(ControlState& state, const ControlRequest&) {
    const auto removed = state.faults.list().size();
    state.faults.clear();
    return reply(OJson{{"FaultsCleared", removed}});
}

Reply remove_fault(ControlState& state, const ControlRequest& request) {
    const std::string& id = request.params.at("Id");
    if (!state.faults.remove(id)) {
        not_found("no fault rule '" + id + "'");
    }
    return reply(OJson{{"FaultsCleared", 1}});
}

// A journaled request as the log shows it: routed ones by operation, the others as sent; its
// latency and bodies when the query includes them.
OJson request_json(const protocol::RequestRecord& record, const RequestLogQuery& query) {
    OJson entry{{"Time", protocol::to_epoch_seconds(record.time)},
                {"RequestId", record.request_id}};
    if (record.unroutable) {
        // No operation took it, so there is none to name (and no null in our JSON): what was
        // read of it instead, each member only when it was.
        entry["Unroutable"] = true;
        for (const auto& [name, text] : {std::pair{"Method", &record.unroutable->method},
                                         std::pair{"Path", &record.unroutable->path},
                                         std::pair{"Target", &record.unroutable->target}}) {
            if (!text->empty()) {
                entry[name] = *text;
            }
        }
    } else {
        entry["Operation"] = record.operation;
    }
    entry["AccountId"] = record.caller.account;
    entry["Region"] = record.caller.region;
    entry["Status"] = record.status;
    if (!record.error_type.empty()) {
        entry["ErrorType"] = record.error_type;
    }
    if (record.noted.client_request_token) {
        entry["ClientRequestToken"] = *record.noted.client_request_token;
    }
    if (record.noted.job_name) {
        entry["JobName"] = *record.noted.job_name;
    }
    if (query.include_latency) {
        entry["LatencyMs"] = static_cast<double>(record.latency.count()) / 1000.0;
    }
    if (query.include_bodies) {
        // The bodies as text (a JSON body is shown, not parsed: it may be what the mock refused),
        // with their full sizes, so a reader sees when the log kept only their start.
        entry["RequestBody"] = record.request_body.text;
        entry["RequestBodyBytes"] = record.request_body.bytes;
        entry["ResponseBody"] = record.response_body.text;
        entry["ResponseBodyBytes"] = record.response_body.bytes;
    }
    return entry;
}

// The journal's records that `query` selects; a Since that names no kept request is refused, as
// "nothing after it" would hide a test's mistake.
protocol::RequestSelection select_requests(const ControlState& state, const RequestLogQuery& query,
                                           std::size_t limit) {
    auto selection = state.journal.select(query.filter, query.since, limit);
    if (!selection) {
        bad_request("Since: no request '" + *query.since +
                    "' in the log (it keeps the last 1000 AWS requests; a reset or DELETE "
                    "/_mock/requests empties it)");
    }
    return std::move(*selection);
}

Reply list_requests(ControlState& state, const ControlRequest& request) {
    const auto query = parse_request_log_query(request.target.query, RequestLogAnswer::List);
    OJson records = OJson::array();
    for (const auto& record : select_requests(state, query, query.limit).records) {
        records.push_back(request_json(record, query));
    }
    return reply(OJson{{"Requests", std::move(records)}});
}

Reply count_requests(ControlState& state, const ControlRequest& request) {
    const auto query = parse_request_log_query(request.target.query, RequestLogAnswer::Count);
    return reply(OJson{{"Count", select_requests(state, query, 0).matched}});
}

Reply clear_requests(ControlState& state, const ControlRequest&) {
    state.journal.clear();
    return reply(OJson{{"RequestsCleared", true}});
}

}  // namespace

moderation::RuleBook& rule_book(ControlState& state) {
    if (state.rules == nullptr) {
        not_found("This server keeps no moderation rules.");
    }
    return *state.rules;
}

Reply list_moderation_rules(ControlState& state, const ControlRequest& request) {
    const Scope scope =
        scope_of(request.query("AccountId"), request.query("Region"), state.info.default_account);
    const auto rules = rule_book(state).rules(scope);
    return reply(OJson{
        {"AccountId", scope.account},
        {"Region", scope.region},
        {"ModerationRules", rules ? moderation::rules_to_json(rules->rules) : OJson::array()}});
}

// Replaces the scope's rules with the body's, all of them or (a BadRequest) none.
Reply set_moderation_rules(ControlState& state, const ControlRequest& request) {
    moderation::RuleBook& book = rule_book(state);
    moderation::RulesDocument document;
    try {
        document = moderation::parse_rules_document(request.http.body(),
                                                    moderation::ModerationTaxonomy::aws_v7());
    } catch (const moderation::RulesError& e) {
        bad_request(e.what());
    }
    const Scope scope = scope_of(document.account, document.region, state.info.default_account);
    const std::size_t count = document.rules.rules.size();
    book.set(scope, std::move(document.rules));
    return reply(
        OJson{{"AccountId", scope.account}, {"Region", scope.region}, {"RulesSet", count}});
}

Reply clear_moderation_rules(ControlState& state, const ControlRequest& request) {
    moderation::RuleBook& book = rule_book(state);
    const Scope scope =
        scope_of(request.query("AccountId"), request.query("Region"), state.info.default_account);
    const auto rules = book.rules(scope);
    book.set(scope, {});
    return reply(OJson{{"AccountId", scope.account},
                       {"Region", scope.region},
                       {"RulesCleared", rules ? rules->rules.rules.size() : 0}});
}

RouteTable<Endpoint> control_routes() {
    using http::verb;
    // Where a path takes several methods, a wrong one is told to use the last row's.
    return RouteTable<Endpoint>({
        {verb::get, "/_localstack/health", &localstack_health},
        {verb::get, "/_mock/health", &mock_health},
        {verb::post, "/_mock/reset", &reset},
        {verb::get, "/_mock/jobs", &dump_jobs},
        {verb::post, "/_mock/jobs", &seed_jobs},
        {verb::post, "/_mock/jobs/{JobId}/status", &set_job_status},
        {verb::post, "/_mock/jobs/{JobId}/progress", &set_job_progress},
        {verb::get, "/_mock/jobs/{JobId}/results", &job_results},
        {verb::get, "/_mock/jobs/{JobId}/manifest-summary", &job_manifest_summary},
        {verb::get, "/_mock/images", &image},
        {verb::post, "/_mock/clock/advance", &advance_clock},
        {verb::get, "/_mock/faults", &list_faults},
        {verb::delete_, "/_mock/faults", &clear_faults},
        {verb::post, "/_mock/faults", &add_fault},
        {verb::delete_, "/_mock/faults/{Id}", &remove_fault},
        {verb::delete_, "/_mock/requests", &clear_requests},
        {verb::get, "/_mock/requests", &list_requests},
        {verb::get, "/_mock/requests/count", &count_requests},
        {verb::get, "/_mock/moderation-rules", &list_moderation_rules},
        {verb::delete_, "/_mock/moderation-rules", &clear_moderation_rules},
        {verb::post, "/_mock/moderation-rules", &set_moderation_rules},
        {verb::get, "/_mock/ui", &ui_page},
        {verb::get, "/_mock/ui/{Asset}", &ui_asset},
    });
}

}  // namespace rekmock::control
