#include "model_validation.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>

namespace rekmock::service {
namespace {

constexpr std::size_t kMaxShownValue = 80;

std::string shown(std::string_view value) {
    if (value.size() <= kMaxShownValue) {
        return std::string(value);
    }
    // Cut at a character boundary: never leave half a UTF-8 sequence in a message.
    std::size_t cut = kMaxShownValue;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xc0) == 0x80) {
        --cut;
    }
    std::string text(value.substr(0, cut));
    text += "...";
    return text;
}

// Length in Unicode code points, as AWS counts characters (JSON input is valid UTF-8).
std::size_t char_length(std::string_view text) {
    std::size_t length = 0;
    for (const char c : text) {
        if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) {
            ++length;
        }
    }
    return length;
}

constexpr bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
constexpr bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
constexpr bool is_lower_alnum_or_dash(char c) {
    return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-';
}
constexpr bool is_name_char(char c) {
    return is_alnum(c) || c == '_' || c == '.' || c == '-';
}
constexpr bool is_job_id_char(char c) {
    return is_alnum(c) || c == '-' || c == '_';
}
constexpr bool is_kms_char(char c) {
    return is_alnum(c) || std::string_view(":_/+=,@.-").find(c) != std::string_view::npos;
}
constexpr bool is_non_space(char c) {
    return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v';
}

// The bytes a predicate accepts, as a table. Looking each byte up costs the same whatever the
// text, where the predicate's tests by range branch on every byte and mispredict half of them on
// a random hex JobId (a million fixture jobs spent 0.3 s there).
class ByteSet {
  public:
    explicit constexpr ByteSet(bool (*predicate)(char)) {
        for (std::size_t c = 0; c < accepts_.size(); ++c) {
            accepts_[c] = predicate(static_cast<char>(c)) ? 1 : 0;
        }
    }

    // Whether every byte of `text` is in the set: no branch per byte, so no early exit either
    // (the texts checked are short, their length checked first).
    bool contains_all(std::string_view text) const {
        unsigned all = 1;
        for (const char c : text) {
            all &= accepts_[static_cast<unsigned char>(c)];
        }
        return all != 0;
    }

  private:
    std::array<unsigned char, 256> accepts_{};
};

constexpr ByteSet kDigits(is_digit);
constexpr ByteSet kNameChars(is_name_char);
constexpr ByteSet kJobIdChars(is_job_id_char);
constexpr ByteSet kKmsChars(is_kms_char);
constexpr ByteSet kNonSpace(is_non_space);

// Consumes a run of characters satisfying `predicate` (min..max long) and then `delimiter`.
bool take(std::string_view& text, bool (*predicate)(char), std::size_t min, std::size_t max,
          std::string_view delimiter) {
    std::size_t n = 0;
    while (n < text.size() && predicate(text[n])) {
        ++n;
    }
    if (n < min || n > max || text.substr(n, delimiter.size()) != delimiter) {
        return false;
    }
    text.remove_prefix(n + delimiter.size());
    return true;
}

// ^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project/[a-zA-Z0-9_.\-]{1,255}/version/
// [a-zA-Z0-9_.\-]{1,255}/[0-9]+$, without a regex engine: std::regex recurses per character.
bool is_project_version_arn(std::string_view text) {
    if (text.substr(0, 4) != "arn:") {
        return false;
    }
    text.remove_prefix(4);
    std::size_t account_digits = 0;
    const bool prefix_ok = take(text, is_lower_alnum_or_dash, 1, SIZE_MAX, ":rekognition:") &&
                           take(text, is_lower_alnum_or_dash, 1, SIZE_MAX, ":");
    if (!prefix_ok) {
        return false;
    }
    while (account_digits < text.size() && is_digit(text[account_digits])) {
        ++account_digits;
    }
    if (account_digits != 12) {
        return false;
    }
    text.remove_prefix(12);
    return text.substr(0, 9) == ":project/" && (text.remove_prefix(9), true) &&
           take(text, is_name_char, 1, 255, "/version/") && take(text, is_name_char, 1, 255, "/") &&
           !text.empty() && kDigits.contains_all(text);
}

struct StringRule {
    std::size_t min = 0;
    std::size_t max = SIZE_MAX;
    bool (*pattern)(std::string_view) = nullptr;
    std::string_view pattern_text;
};

// A member's name in parts, joined only for a violation: validating a million fixture jobs
// would otherwise build ten names per job to throw away.
struct MemberName {
    std::string_view prefix;
    std::string_view path;
    std::string_view leaf;
    std::string str() const {
        std::string name;
        name.reserve(prefix.size() + path.size() + leaf.size());
        return name.append(prefix).append(path).append(leaf);
    }
};

void check_string(std::vector<Violation>& out, const MemberName& member, std::string_view value,
                  const StringRule& rule) {
    const std::size_t length = char_length(value);
    if (length < rule.min) {
        out.push_back(
            {member.str(), shown(value),
             "Member must have length greater than or equal to " + std::to_string(rule.min)});
    } else if (length > rule.max) {
        out.push_back(
            {member.str(), shown(value),
             "Member must have length less than or equal to " + std::to_string(rule.max)});
    } else if (rule.pattern != nullptr && !rule.pattern(value)) {
        out.push_back(
            {member.str(), shown(value),
             "Member must satisfy regular expression pattern: " + std::string(rule.pattern_text)});
    }
}

void check_optional(std::vector<Violation>& out, const MemberName& member,
                    const std::optional<std::string>& value, const StringRule& rule) {
    if (value) {
        check_string(out, member, *value, rule);
    }
}

const StringRule kJobId{1, 64, [](std::string_view v) { return kJobIdChars.contains_all(v); },
                        "^[a-zA-Z0-9-_]+$"};
const StringRule kClientRequestToken{
    1, 64, [](std::string_view v) { return kJobIdChars.contains_all(v); }, "^[a-zA-Z0-9-_]+$"};
const StringRule kJobName{1, 64, [](std::string_view v) { return kNameChars.contains_all(v); },
                          "[a-zA-Z0-9_.\\-]+"};
const StringRule kBucket{3, 255, [](std::string_view v) { return kNameChars.contains_all(v); },
                         "[0-9A-Za-z\\.\\-_]*"};
const StringRule kObjectName{1, 1024, nullptr, {}};
const StringRule kObjectVersion{1, 1024, nullptr, {}};
const StringRule kKeyPrefix{0, 800, [](std::string_view v) { return kNonSpace.contains_all(v); },
                            "\\S*"};
const StringRule kKmsKeyId{1, 2048,
                           [](std::string_view v) {
                               return !v.empty() && is_alnum(v.front()) &&
                                      kKmsChars.contains_all(v);
                           },
                           "^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2048}$"};
const StringRule kProjectVersion{
    20, 2048, is_project_version_arn,
    "(^arn:[a-z\\d-]+:rekognition:[a-z\\d-]+:\\d{12}:project\\/[a-zA-Z0-9_.\\-]{1,255}\\/version\\/"
    "[a-zA-Z0-9_.\\-]{1,255}\\/[0-9]+$)"};

// `prefix` + `path` names the object.
void check_s3_object(std::vector<Violation>& out, std::string_view prefix, std::string_view path,
                     const S3Object& o) {
    check_optional(out, {prefix, path, ".Bucket"}, o.bucket, kBucket);
    check_optional(out, {prefix, path, ".Name"}, o.name, kObjectName);
    check_optional(out, {prefix, path, ".Version"}, o.version, kObjectVersion);
}

// The shortest text that reads back as `value`, so 100.0000001 is not shown as "100".
std::string format_number(double value) {
    char text[32];
    const auto result = std::to_chars(text, text + sizeof text, value);
    return std::string(text, result.ptr);
}

}  // namespace

std::string describe(const Violation& v) {
    return "Value '" + v.value + "' at '" + v.member + "' failed to satisfy constraint: " + v.rule;
}

std::string describe(const std::vector<Violation>& violations) {
    std::string message = std::to_string(violations.size()) + " validation error" +
                          (violations.size() == 1 ? "" : "s") + " detected: ";
    for (std::size_t i = 0; i < violations.size(); ++i) {
        message += (i == 0 ? "" : "; ") + describe(violations[i]);
    }
    return message;
}

void check_range(std::vector<Violation>& out, const std::string& member, long long value,
                 long long min, long long max) {
    if (value < min) {
        out.push_back({member, std::to_string(value),
                       "Member must have value greater than or equal to " + std::to_string(min)});
    } else if (value > max) {
        out.push_back({member, std::to_string(value),
                       "Member must have value less than or equal to " + std::to_string(max)});
    }
}

void check_job_id(std::vector<Violation>& out, const std::string& member, std::string_view value) {
    check_string(out, {member, {}, {}}, value, kJobId);
}

void check_client_request_token(std::vector<Violation>& out, const std::string& member,
                                std::string_view value) {
    check_string(out, {member, {}, {}}, value, kClientRequestToken);
}

void validate_job_settings(std::vector<Violation>& out, const MediaAnalysisJob& job,
                           const std::string& prefix) {
    check_optional(out, {prefix, "JobName", {}}, job.job_name, kJobName);
    if (const auto& moderation = job.operations_config.detect_moderation_labels) {
        constexpr std::string_view kPath = "OperationsConfig.DetectModerationLabels.";
        if (const auto confidence = moderation->min_confidence) {
            const MemberName member{prefix, kPath, "MinConfidence"};
            if (!std::isfinite(*confidence) || *confidence < 0.0) {
                out.push_back({member.str(), format_number(*confidence),
                               "Member must have value greater than or equal to 0"});
            } else if (*confidence > 100.0) {
                out.push_back({member.str(), format_number(*confidence),
                               "Member must have value less than or equal to 100"});
            }
        }
        check_optional(out, {prefix, kPath, "ProjectVersion"}, moderation->project_version,
                       kProjectVersion);
    }
    check_s3_object(out, prefix, "Input.S3Object", job.input.s3_object);
    check_string(out, {prefix, "OutputConfig.S3Bucket", {}}, job.output_config.s3_bucket, kBucket);
    check_optional(out, {prefix, "OutputConfig.S3KeyPrefix", {}}, job.output_config.s3_key_prefix,
                   kKeyPrefix);
    check_optional(out, {prefix, "KmsKeyId", {}}, job.kms_key_id, kKmsKeyId);
}

std::vector<Violation> validate_job_description(const MediaAnalysisJob& job,
                                                const std::string& prefix) {
    std::vector<Violation> out;
    check_string(out, {prefix, "JobId", {}}, job.job_id, kJobId);
    validate_job_settings(out, job, prefix);
    if (job.results && job.results->s3_object) {
        check_s3_object(out, prefix, "Results.S3Object", *job.results->s3_object);
    }
    if (job.manifest_summary && job.manifest_summary->s3_object) {
        check_s3_object(out, prefix, "ManifestSummary.S3Object", *job.manifest_summary->s3_object);
    }
    return out;
}

}  // namespace rekmock::service
