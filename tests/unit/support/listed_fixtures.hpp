#pragma once

// A FixtureSource whose "files" are a list of jobs, reloaded as the fixtures layer reloads
// files: one JobStore::load that erases the scope first. Seeding text is left to subclasses.

#include <functional>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "fixture_source.hpp"
#include "job_store.hpp"

namespace rekmock::testing {

class ListedFixtures : public service::FixtureSource {
  public:
    using Jobs = std::function<std::vector<MediaAnalysisJob>()>;
    // `store` must outlive this; `jobs` is called at each reload, and may throw.
    ListedFixtures(storage::JobStore& store, Jobs jobs) : store_(store), jobs_(std::move(jobs)) {}

    storage::LoadResult reload(const std::optional<Scope>& scope) override {
        const auto jobs = jobs_();
        return store_.load(true, scope, [&](const auto& put) {
            for (const auto& job : jobs) {
                if (!scope || job.scope == *scope) {
                    put(job);
                }
            }
        });
    }
    storage::LoadResult seed(std::string_view) override {
        throw std::logic_error("ListedFixtures reads no text");
    }
    void clear(const std::optional<Scope>&) override {}  // it has nothing but jobs

  protected:
    storage::JobStore& store_;

  private:
    Jobs jobs_;
};

}  // namespace rekmock::testing
