#include "job_key.hpp"

namespace rekmock::storage {
namespace {

void job_key_sql(sqlite3_context* context, int, sqlite3_value** arguments) {
    if (const auto text = text_argument(arguments[0])) {
        sqlite3_result_int64(context, job_key(*text));
    } else {
        sqlite3_result_null(context);
    }
}

}  // namespace

std::int64_t job_key(std::string_view job_id) noexcept {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : job_id) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return static_cast<std::int64_t>(hash);
}

void define_job_key_function(Database& db) {
    db.define_function("rekmock_job_key", 1, job_key_sql);
}

}  // namespace rekmock::storage
