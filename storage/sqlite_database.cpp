#include "sqlite_database.hpp"

#include <limits>

namespace rekmock::storage {
namespace {

// Names the file: a server may hold several stores over its life, and "attempt to write a
// readonly database" or "database or disk is full" alone does not say which one to fix.
[[noreturn]] void fail(sqlite3* db, std::string_view what) {
    std::string message(what);
    message += ": ";
    message += db ? sqlite3_errmsg(db) : "out of memory";
    const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
    if (file != nullptr && *file != '\0') {
        message += " (store '";
        message += file;
        message += "')";
    }
    throw StorageError(message);
}

int checked_length(std::size_t size) {
    if (size > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
        throw StorageError("value too large for SQLite");
    }
    return static_cast<int>(size);
}

}  // namespace

Database::Database(const std::string& path) {
    // Before SQLite's first use: memory statistics, which nothing reads, take a global mutex
    // in every allocation (a bulk load makes millions). Later calls are refused; harmless.
    static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    static_cast<void>(configured);
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        std::string message = "cannot open database '" + path + "'";
        if (db_ != nullptr) {
            message += ": ";
            message += sqlite3_errmsg(db_);
            sqlite3_close(db_);
            db_ = nullptr;
        }
        throw StorageError(message);
    }
    sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() {
    // Statements are owned elsewhere and finalized first; close_v2 defers if any linger.
    sqlite3_close_v2(db_);
}

std::string Database::path() const {
    const char* file = sqlite3_db_filename(db_, "main");
    return file != nullptr ? std::string(file) : std::string();
}

void Database::exec(std::string_view sql) {
    const std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        fail(db_, "sqlite exec");
    }
}

Statement::Statement(Database& db, std::string_view sql) : db_(db.handle()) {
    if (sqlite3_prepare_v3(db_, sql.data(), checked_length(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt_, nullptr) != SQLITE_OK) {
        fail(db_, "sqlite prepare");
    }
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

void Statement::check_bind(int rc) const {
    if (rc != SQLITE_OK) {
        fail(db_, "sqlite bind");
    }
}

void Statement::skip_repeated_bindings() {
    held_.assign(static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt_)) + 1, Held{});
}

void Statement::bind(int index, std::int64_t value) {
    if (!held_.empty()) {
        Held& held = held_[static_cast<std::size_t>(index)];
        if (held.kind == Held::Kind::Integer && held.value == value) {
            return;
        }
        held.kind = Held::Kind::Unknown;  // until the bind succeeds
        check_bind(sqlite3_bind_int64(stmt_, index, value));
        held = {Held::Kind::Integer, value};
        return;
    }
    check_bind(sqlite3_bind_int64(stmt_, index, value));
}

void Statement::bind(int index, double value) {
    forget(index);
    check_bind(sqlite3_bind_double(stmt_, index, value));
}

void Statement::bind(int index, std::string_view value) {
    forget(index);
    check_bind(sqlite3_bind_text(stmt_, index, value.data(), checked_length(value.size()),
                                 SQLITE_TRANSIENT));
}

void Statement::bind_blob(int index, const std::vector<unsigned char>& value) {
    forget(index);
    check_bind(sqlite3_bind_blob(stmt_, index, value.data(), checked_length(value.size()),
                                 SQLITE_TRANSIENT));
}

void Statement::bind_borrowed(int index, std::string_view value) {
    forget(index);
    check_bind(
        sqlite3_bind_text(stmt_, index, value.data(), checked_length(value.size()), SQLITE_STATIC));
}

void Statement::bind_borrowed_blob(int index, std::string_view bytes) {
    forget(index);
    check_bind(
        sqlite3_bind_blob(stmt_, index, bytes.data(), checked_length(bytes.size()), SQLITE_STATIC));
}

void Statement::bind_null(int index) {
    if (!held_.empty()) {
        Held& held = held_[static_cast<std::size_t>(index)];
        if (held.kind == Held::Kind::Null) {
            return;
        }
        held.kind = Held::Kind::Unknown;  // until the bind succeeds
        check_bind(sqlite3_bind_null(stmt_, index));
        held.kind = Held::Kind::Null;
        return;
    }
    check_bind(sqlite3_bind_null(stmt_, index));
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    fail(db_, "sqlite step");
}

void Statement::run() {
    if (step()) {
        throw StorageError("sqlite step: statement unexpectedly returned a row");
    }
}

void Statement::reset() noexcept {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    for (Held& held : held_) {
        held.kind = Held::Kind::Null;  // what clearing binds
    }
}

void Statement::rewind() noexcept {
    sqlite3_reset(stmt_);
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

bool Statement::is_blob(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_BLOB;
}

std::int64_t Statement::column_int64(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

double Statement::column_double(int column) const {
    return sqlite3_column_double(stmt_, column);
}

std::string Statement::column_text(int column) const {
    const auto* text = sqlite3_column_text(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    return text ? std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size))
                : std::string();
}

std::vector<unsigned char> Statement::column_blob(int column) const {
    const auto* data = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, column));
    const int size = sqlite3_column_bytes(stmt_, column);
    return data ? std::vector<unsigned char>(data, data + size) : std::vector<unsigned char>();
}

std::string_view Statement::column_bytes(int column) const {
    // sqlite3_column_blob before sqlite3_column_bytes: the order that converts nothing.
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    const int size = sqlite3_column_bytes(stmt_, column);
    return data ? std::string_view(data, static_cast<std::size_t>(size)) : std::string_view();
}

void Database::define_function(const char* name, int arguments,
                               void (*function)(sqlite3_context*, int, sqlite3_value**)) {
    const int rc = sqlite3_create_function_v2(db_, name, arguments,
                                              SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                              nullptr, function, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        throw StorageError(std::string("cannot define ") + name + ": " + sqlite3_errstr(rc));
    }
}

std::optional<std::string_view> text_argument(sqlite3_value* value) {
    const auto* text = sqlite3_value_text(value);
    const int size = sqlite3_value_bytes(value);
    if (text == nullptr) {
        return std::nullopt;
    }
    return std::string_view(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

bool Database::file_moved() const noexcept {
    int moved = 0;
    // The unix VFS compares the inode it holds with the one at the path: a stat, a microsecond.
    if (sqlite3_file_control(db_, "main", SQLITE_FCNTL_HAS_MOVED, &moved) != SQLITE_OK) {
        return false;  // an in-memory database has no file to lose
    }
    return moved != 0;
}

void Database::require_file_in_place() const {
    if (file_moved()) {
        throw StoreFileLost("the store file '" + path() +
                            "' was deleted or replaced while the server ran: nothing written now "
                            "could be kept, so writes are refused; restart the server to open "
                            "the store again");
    }
}

Transaction::Transaction(Database& db) : db_(db) {
    db_.require_file_in_place();
    db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (!done_) {
        sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace rekmock::storage
