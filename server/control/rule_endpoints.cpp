#include "control_endpoints.hpp"
#include "moderation_rules_json.hpp"

namespace rekmock::control {
namespace {

// A NotFound unless the server keeps moderation rules.
void require_rules(const ControlState& state) {
    if (!state.control.keeps_rules()) {
        not_found("This server keeps no moderation rules.");
    }
}

}  // namespace

Reply list_moderation_rules(ControlState& state, const ControlRequest& request) {
    const Scope scope = query_scope(state, request);
    require_rules(state);
    const auto rules = state.control.rules(scope);
    return reply(OJson{
        {"AccountId", scope.account},
        {"Region", scope.region},
        {"ModerationRules", rules ? moderation::rules_to_json(rules->rules) : OJson::array()}});
}

// Replaces the scope's rules with the body's, all of them or (a BadRequest) none.
Reply set_moderation_rules(ControlState& state, const ControlRequest& request) {
    require_rules(state);
    moderation::RulesDocument document;
    try {
        document = moderation::parse_rules_document(request.http.body(),
                                                    moderation::ModerationTaxonomy::aws_v7());
    } catch (const moderation::RulesError& e) {
        bad_request(e.what());
    }
    const Scope scope = scope_named(state, document.account, document.region);
    const std::size_t count = document.rules.rules.size();
    state.control.set_rules(scope, std::move(document.rules));
    return reply(
        OJson{{"AccountId", scope.account}, {"Region", scope.region}, {"RulesSet", count}});
}

Reply clear_moderation_rules(ControlState& state, const ControlRequest& request) {
    require_rules(state);
    const Scope scope = query_scope(state, request);
    const std::size_t cleared = state.control.set_rules(scope, {});
    return reply(
        OJson{{"AccountId", scope.account}, {"Region", scope.region}, {"RulesCleared", cleared}});
}

}  // namespace rekmock::control
