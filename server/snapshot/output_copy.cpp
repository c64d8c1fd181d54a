#include "output_copy.hpp"

#include <array>
#include <map>
#include <optional>
#include <system_error>

#include "folder_object_store.hpp"
#include "folder_object_versions.hpp"

namespace rekmock::snapshot {
namespace {

namespace fs = std::filesystem;

std::string describe(const S3Object& object) {
    std::string text = "s3://" + object.bucket.value_or("") + "/" + object.name.value_or("");
    if (object.version) {
        text += " (version " + *object.version + ")";
    }
    return text;
}

class OutputCopy {
  public:
    OutputCopy(objects::ObjectStore& source, const fs::path& folder,
               const std::function<void(const std::string&)>& say)
        : source_(source), folder_(folder), target_(folder), say_(say) {}

    void copy(const S3Object& object, const std::string& named_by) {
        if (!object.bucket || !object.name) {
            return;
        }
        const objects::ObjectKey key{*object.bucket, *object.name};
        if (const auto held = held_.find(key); held != held_.end()) {
            if (held->second != object.version) {
                refuse(object, named_by,
                       "the folder holds " +
                           (held->second ? "version " + *held->second : std::string("a copy")) +
                           " of this key already, and a folder store holds one version of a key");
            }
            return;
        }
        std::uint64_t bytes = 0;
        try {
            bytes = transfer(object);
        } catch (const std::exception& e) {
            refuse(object, named_by, e.what());
            return;
        }
        held_[key] = object.version;
        ++report_.copied;
        report_.bytes += bytes;
        say_("copied " + describe(object) + ": " + std::to_string(bytes) + " bytes (" +
             std::to_string(report_.copied) + " object(s), " + std::to_string(report_.bytes) +
             " bytes so far)");
    }

    // Records the versions of what was copied (and forgets those of keys copied without one).
    void record_versions() {
        if (held_.empty()) {
            return;
        }
        try {
            objects::ObjectVersions versions = objects::read_object_versions(folder_);
            const objects::ObjectVersions before = versions;
            for (const auto& [key, version] : held_) {
                if (version) {
                    versions[key] = *version;
                } else {
                    versions.erase(key);
                }
            }
            if (versions != before) {
                objects::write_object_versions(folder_, versions);
            }
        } catch (const std::exception& e) {
            report_.not_copied.push_back({(folder_ / objects::kObjectVersionsFile).string(),
                                          "the objects' versions", e.what()});
        }
    }

    OutputCopyReport report() const { return report_; }

  private:
    // Copies `object`'s bytes; returns how many.
    std::uint64_t transfer(const S3Object& object) {
        const std::string& bucket = *object.bucket;
        if (bucket.empty() || bucket == "." || bucket == ".." ||
            bucket.find('/') != std::string::npos) {
            throw std::runtime_error("a bucket so named cannot be a folder");
        }
        std::optional<objects::ObjectStoreError> missing;
        const auto reader = source_.open_if_exists(
            objects::ObjectRef{bucket, *object.name, object.version}, std::nullopt, missing);
        if (!reader) {
            throw objects::ObjectStoreError(*missing);
        }
        std::error_code error;
        fs::create_directories(folder_ / bucket, error);
        if (error) {
            throw std::runtime_error("cannot make the folder " + (folder_ / bucket).string() +
                                     ": " + error.message());
        }
        const auto writer = target_.create(bucket, *object.name, {});
        std::array<char, 64 * 1024> chunk{};
        std::uint64_t bytes = 0;
        while (const std::size_t got = reader->read(chunk.data(), chunk.size())) {
            writer->write(std::string_view(chunk.data(), got));
            bytes += got;
        }
        writer->commit();
        return bytes;
    }

    void refuse(const S3Object& object, const std::string& named_by, const std::string& why) {
        report_.not_copied.push_back({describe(object), named_by, why});
    }

    objects::ObjectStore& source_;
    fs::path folder_;
    objects::FolderObjectStore target_;
    const std::function<void(const std::string&)>& say_;
    // Each key copied and the version it was copied as (none: the latest).
    std::map<objects::ObjectKey, std::optional<std::string>> held_;
    OutputCopyReport report_;
};

}  // namespace

OutputCopyReport copy_outputs(const std::vector<MediaAnalysisJob>& jobs,
                              objects::ObjectStore& source, const fs::path& folder,
                              const std::function<void(const std::string&)>& say) {
    OutputCopy copy(source, folder, say);
    for (const MediaAnalysisJob& job : jobs) {
        const std::string of = "job " + job.job_id + "'s ";
        copy.copy(job.input.s3_object, of + "input manifest");
        if (job.status != MediaAnalysisJobStatus::Succeeded) {
            continue;
        }
        if (job.results && job.results->s3_object) {
            copy.copy(*job.results->s3_object, of + "results");
        }
        if (job.manifest_summary && job.manifest_summary->s3_object) {
            copy.copy(*job.manifest_summary->s3_object, of + "manifest summary");
        }
    }
    copy.record_versions();
    return copy.report();
}

}  // namespace rekmock::snapshot
