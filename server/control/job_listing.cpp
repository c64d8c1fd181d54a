#include "job_listing.hpp"

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/algorithm/string/predicate.hpp>
#include <locale>

#include "control_request.hpp"
#include "whole_number.hpp"

namespace rekmock::control {
namespace {

std::string s3_uri(const std::optional<std::string>& bucket, std::string_view key) {
    return "s3://" + bucket.value_or("") + "/" + std::string(key);
}

// The token's text is "<CreationTimestamp ms> <JobId>": a keyset cursor, so a page continues
// after its last job even when jobs were added or removed meanwhile.
JobCursor cursor_of(const std::string& token) {
    const std::string text = page_token_text(token).value_or("");
    const std::size_t space = text.find(' ');
    const auto millis = space == std::string::npos
                            ? std::nullopt
                            : whole_number<std::int64_t>(std::string_view(text).substr(0, space));
    if (!millis || space + 1 == text.size()) {
        bad_request("NextToken is not one a page of GET /_mock/jobs gave");
    }
    return JobCursor{Timestamp(std::chrono::milliseconds(*millis)), text.substr(space + 1)};
}

}  // namespace

bool JobListing::matches(const MediaAnalysisJob& job) const {
    if (status && job.status != *status) {
        return false;
    }
    if (!contains) {
        return true;
    }
    const S3Object& input = job.input.s3_object;
    for (const std::string& text :
         {job.job_id, job.job_name.value_or(""), s3_uri(input.bucket, input.name.value_or("")),
          s3_uri(job.output_config.s3_bucket, job.output_config.s3_key_prefix.value_or(""))}) {
        if (boost::algorithm::icontains(text, *contains, std::locale::classic())) {
            return true;
        }
    }
    return false;
}

JobListing parse_job_listing(const Params& params) {
    JobListing listing;
    for (const auto& [name, value] : params) {
        if (name == "JobId") {
            listing.job_id = value;
        } else if (name == "MaxResults") {
            listing.max_results = whole_number_param(name, value, kMaxJobsPerPage);
        } else if (name == "NextToken") {
            listing.after = cursor_of(value);
        } else if (name == "Status") {
            listing.status = job_status_named(value);
        } else if (name == "Contains") {
            // An empty text is in every job: the same as no filter, as a cleared search box means.
            if (!value.empty()) {
                listing.contains = boost::algorithm::to_lower_copy(value, std::locale::classic());
            }
        } else if (name == "Include") {
            if (value != "Lifecycle") {
                bad_request("Include takes Lifecycle, not '" + value + "'");
            }
            listing.include_lifecycle = true;
        }
    }
    return listing;
}

std::string job_page_token(const JobCursor& cursor) {
    return page_token(std::to_string(cursor.creation_timestamp.time_since_epoch().count()) + " " +
                      cursor.job_id);
}

}  // namespace rekmock::control
