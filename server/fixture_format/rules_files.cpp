#include "rules_files.hpp"

#include "fixture_file.hpp"
#include "fixture_reader.hpp"
#include "moderation_rules_json.hpp"

namespace rekmock::fixtures {

std::vector<ScopedRules> read_rules_files(const std::vector<std::string>& paths,
                                          const Scope& default_scope) {
    std::vector<ScopedRules> found;
    for (const auto& path : paths) {
        try {
            const FixtureFile file = FixtureFile::open(path);
            auto document = moderation::parse_rules_document(
                file.text(), moderation::ModerationTaxonomy::aws_v7());
            found.emplace_back(parse_scope(document.account, document.region, default_scope),
                               std::move(document.rules));
        } catch (const std::exception& e) {
            throw FixtureError(path + ": " + e.what());
        }
    }
    return found;
}

void put_in_force(moderation::RuleBook& book, const std::vector<ScopedRules>& found,
                  const std::optional<Scope>& scope) {
    std::vector<ScopedRules> joined;
    for (const auto& [where, rules] : found) {
        if (scope && where != *scope) {
            continue;
        }
        auto it = std::ranges::find(joined, where, &ScopedRules::first);
        if (it == joined.end()) {
            joined.emplace_back(where, moderation::ModerationRules{});
            it = std::prev(joined.end());
        }
        it->second.rules.insert(it->second.rules.end(), rules.rules.begin(), rules.rules.end());
    }
    if (!scope) {
        book.replace_all(joined);
    } else {
        book.set(*scope, joined.empty() ? moderation::ModerationRules{} : joined.front().second);
    }
}

}  // namespace rekmock::fixtures
