#pragma once

// Thin RAII wrappers over the SQLite C API: a connection, a prepared statement and a
// transaction. Destructors never throw; every failure surfaces as StorageError.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rekmock::storage {

// Any SQLite failure; the message carries SQLite's own text and, for a file, its path.
class StorageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The store's file was deleted or replaced while it was open: SQLite would go on writing to the
// unlinked file, and every write acknowledged would be lost at the next open.
class StoreFileLost : public StorageError {
  public:
    using StorageError::StorageError;
};

class Database {
  public:
    // Opens (creating if needed) the database at `path`; ":memory:" is a private in-memory store.
    explicit Database(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs one or more statements that take no parameters and return no rows (DDL, pragmas).
    void exec(std::string_view sql);
    sqlite3* handle() const noexcept { return db_; }
    // The file's absolute path, or "" for an in-memory database.
    std::string path() const;
    // Whether the file was unlinked or renamed, or another file took its path, since the open;
    // false for an in-memory database.
    bool file_moved() const noexcept;
    // StoreFileLost, naming the file, when file_moved().
    void require_file_in_place() const;
    // Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
    std::int64_t changes() const noexcept { return sqlite3_changes64(db_); }
    // Makes `function` callable from SQL on this connection as `name` of `arguments` arguments,
    // deterministic and innocuous (so migrations may use it); StorageError naming it if refused.
    void define_function(const char* name, int arguments,
                         void (*function)(sqlite3_context*, int, sqlite3_value**));

  private:
    sqlite3* db_ = nullptr;
};

class Statement {
  public:
    // Compiles `sql` once; bind/step/reset reuse it for every execution.
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binds a value to the 1-based parameter `index`.
    void bind(int index, std::int64_t value);
    void bind(int index, double value);
    void bind(int index, std::string_view value);
    void bind_blob(int index, const std::vector<unsigned char>& value);
    void bind_null(int index);
    // The same for text, without copying it: it must stay valid until reset().
    void bind_borrowed(int index, std::string_view value);
    // A blob of `bytes`, not copied either.
    void bind_borrowed_blob(int index, std::string_view bytes);

    // Advances to the next row; false when the statement is done.
    bool step();
    // Steps a statement that must return no rows.
    void run();
    // Resets for re-execution and clears bindings; call before each reuse.
    void reset() noexcept;
    // Resets for re-execution keeping the bindings, for a statement whose every parameter is
    // bound again before each step (clearing them costs a bulk insert a few percent).
    void rewind() noexcept;
    // From now on, binding a parameter to the integer or NULL it already holds does nothing: a
    // bulk insert binds some 30 parameters a million times, most of them to what they held for
    // the row before. For a statement rewound, not reset, between executions.
    void skip_repeated_bindings();

    bool is_null(int column) const;
    bool is_blob(int column) const;
    std::int64_t column_int64(int column) const;
    double column_double(int column) const;
    std::string column_text(int column) const;
    std::vector<unsigned char> column_blob(int column) const;
    // The bytes of a text or blob column, valid until the next step() or reset().
    std::string_view column_bytes(int column) const;

  private:
    // What a parameter holds, as far as skip_repeated_bindings() knows.
    struct Held {
        enum class Kind : unsigned char { Unknown, Null, Integer } kind = Kind::Unknown;
        std::int64_t value = 0;
    };
    void check_bind(int rc) const;
    // The parameter `index` now holds something other than an integer or NULL.
    void forget(int index) noexcept {
        if (!held_.empty()) {
            held_[static_cast<std::size_t>(index)].kind = Held::Kind::Unknown;
        }
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    std::vector<Held> held_;  // by parameter index; empty unless skip_repeated_bindings()
};

// The text of an SQL function's argument (see Database::define_function); std::nullopt for NULL.
std::optional<std::string_view> text_argument(sqlite3_value* value);

// Resets a statement when the scope ends, so an exception never leaves it mid-execution.
class StatementScope {
  public:
    enum class Bindings { Clear, Keep };
    explicit StatementScope(Statement& statement, Bindings bindings = Bindings::Clear) noexcept
        : statement_(statement), bindings_(bindings) {}
    ~StatementScope() { bindings_ == Bindings::Clear ? statement_.reset() : statement_.rewind(); }
    StatementScope(const StatementScope&) = delete;
    StatementScope& operator=(const StatementScope&) = delete;

  private:
    Statement& statement_;
    Bindings bindings_;
};

// BEGIN IMMEDIATE on construction, after require_file_in_place(): no write is acknowledged into
// a file that is gone. Rolls back on destruction unless commit() was called.
class Transaction {
  public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    // Makes every change since construction durable.
    void commit();

  private:
    Database& db_;
    bool done_ = false;
};

}  // namespace rekmock::storage
