#include "job_key.hpp"

namespace rekmock::storage {
namespace {

void job_key_sql(sqlite3_context* context, int, sqlite3_value** arguments) {
    const auto* text = sqlite3_value_text(arguments[0]);
    const int size = sqlite3_value_bytes(arguments[0]);
    if (text == nullptr) {
        sqlite3_result_null(context);
        return;
    }
    sqlite3_result_int64(context, job_key(std::string_view(reinterpret_cast<const char*>(text),
                                                           static_cast<std::size_t>(size))));
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
    const int rc = sqlite3_create_function_v2(db.handle(), "rekmock_job_key", 1,
                                              SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                              nullptr, job_key_sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        throw StorageError(std::string("cannot define rekmock_job_key: ") + sqlite3_errstr(rc));
    }
}

}  // namespace rekmock::storage
