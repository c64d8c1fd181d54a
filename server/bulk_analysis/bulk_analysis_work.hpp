#pragma once

// A bulk analysis job's work over an object store: at Start, its manifest checked and its
// scope's moderation rules kept with it; at completion, each manifest line read, its image
// checked and its moderation result scripted (by the first rule that matches, else by the name
// convention, else no labels), the results file and the manifest summary written under the
// job's OutputConfig (server/service/job_work.hpp says when).

#include <cstdint>
#include <filesystem>

#include "image_check.hpp"
#include "job_work.hpp"
#include "name_convention.hpp"
#include "object_store.hpp"
#include "rule_book.hpp"

namespace rekmock::bulk_analysis {

struct BulkAnalysisConfig {
    ImageCheck image_check = ImageCheck::Strict;
    // InvalidManifestException above this size. AWS documents no figure; the mock's default
    // (--max-manifest-bytes) is generous.
    std::uint64_t max_manifest_bytes = 512ull * 1024 * 1024;
    // A longer line is an invalid line, never held whole in memory.
    std::size_t max_line_bytes = 64 * 1024;
    // Where the manifest summary spools its errors until it is written (the system's temporary
    // folder when empty): beside the store's file, as disk the user gave the mock.
    std::filesystem::path spool_folder{};
};

class BulkAnalysisWork final : public service::JobWork {
  public:
    // Works on `store` with the rules of `rules` (none when null); both must outlive this.
    BulkAnalysisWork(objects::ObjectStore& store, BulkAnalysisConfig config,
                     const moderation::RuleBook* rules = nullptr)
        : store_(store),
          config_(config),
          rules_(rules),
          convention_(moderation::ModerationTaxonomy::aws_v7()) {}

    std::optional<std::string> admit(const MediaAnalysisJob& job) override;
    service::WorkOutcome perform(const MediaAnalysisJob& job,
                                 const std::optional<std::string>& frozen_rules) override;
    std::unique_ptr<service::ByteStream> open_output(const S3Object& object) override;
    service::ImageStream open_image(const S3Object& object) override;

  private:
    objects::ObjectStore& store_;
    BulkAnalysisConfig config_;
    const moderation::RuleBook* rules_;
    const moderation::NameConvention convention_;
};

}  // namespace rekmock::bulk_analysis
