// Internals of the SOCI store: the connection, transactions and bulk statements that work the
// same on SQLite and PostgreSQL. Not part of the public API.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <soci/soci.h>

#include "passline/result.h"
#include "passline/sql/store.h"

namespace passline::sql::detail {

/// A statement kept prepared on one connection (see `cached`).
struct CachedStatement {
  virtual ~CachedStatement() = default;
};

/// The connection behind a Store.
struct Db {
  DatabaseUrl url;
  soci::session sql;
  /// Statements prepared once on this connection and re-executed with new bindings, by SQL
  /// text; declared after `sql` so that they are finalized before the session closes.
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>> statements;
  /// Open WriteTransactions on this connection: an inner one joins the outer (access.cc runs
  /// a Store call inside its own transaction); `failed` marks an inner one that did not commit.
  int tx_depth = 0;
  bool tx_failed = false;
  bool postgres() const { return url.backend == DatabaseUrl::Backend::postgresql; }
};

/// A prepared statement with the variables it binds: SOCI binds `use` and `into` by address,
/// so they live next to the statement, in `v`.
template <class Vars>
struct Prepared final : CachedStatement {
  Vars v{};
  soci::statement st;
  template <class Bind>
  Prepared(soci::session& s, Bind& bind) : st(bind(s, v)) {}
};

/// The statement of `sql` on this connection, prepared by `bind(session, vars)` the first time
/// (which must return `(session.prepare << sql, soci::use(vars.x), soci::into(vars.y)...)`),
/// then reused: set the `use` variables in `v`, execute, and fetch until `fetch()` is false (or
/// use `run_one`), so that no cursor stays open between requests (an open SQLite cursor would
/// hold the connection's read snapshot). Not thread-safe: a Db is used by one thread at a time.
/// Throws soci::soci_error when preparing fails.
template <class Vars, class Bind>
Prepared<Vars>& cached(Db& db, const std::string& sql, Bind bind) {
  auto it = db.statements.find(sql);
  if (it == db.statements.end())
    it = db.statements.emplace(sql, std::make_unique<Prepared<Vars>>(db.sql, bind)).first;
  auto* p = dynamic_cast<Prepared<Vars>*>(it->second.get());
  if (!p) throw std::logic_error("one SQL text cached with two sets of variables");
  return *p;
}

/// Executes a statement that reads at most one row; true when it read one. Steps past the row
/// so that the cursor is closed afterwards.
bool run_one(soci::statement& st);

/// Process-wide SQLite settings (sqlite_config.cc), before the first SQLite connection.
void configure_sqlite_once();

/// Opens a session for `url` and sets the per-connection options (SQLite: WAL, a 30 s busy
/// timeout, foreign keys). Throws soci::soci_error.
void connect(Db& db);

/// A write transaction. SQLite: BEGIN IMMEDIATE, so the write lock is taken before anything is
/// read (a reader that later writes would deadlock with another). PostgreSQL: BEGIN. Rolls back
/// unless commit() was called. Inside another WriteTransaction it joins that one: commit() does
/// nothing, and ending without commit() makes the outer commit() roll back and throw.
class WriteTransaction {
 public:
  explicit WriteTransaction(Db& db);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  Db& db_;
  bool open_ = true;
};

/// Rows appended column by column and written in batches: SQLite binds vectors to one prepared
/// INSERT; PostgreSQL sends each batch as one INSERT ... SELECT FROM unnest(arrays) so a million
/// rows are a few hundred round trips, not a million.
class BulkInsert {
 public:
  enum class Type { text, bigint };
  struct Column {
    std::string name;
    Type type;
  };
  BulkInsert(Db& db, std::string table, std::vector<Column> columns,
             std::size_t batch_rows = 20000);

  BulkInsert& text(std::optional<std::string_view> v);
  BulkInsert& bigint(std::optional<std::int64_t> v);
  /// Ends the current row; writes a batch when it is full.
  void end_row();
  /// Writes what is left. Must be called before the transaction commits.
  void flush();
  std::int64_t rows() const { return rows_; }

 private:
  struct Data {
    std::vector<std::string> text;
    std::vector<long long> bigint;
    std::vector<soci::indicator> ind;
  };
  Db& db_;
  std::string table_;
  std::vector<Column> columns_;
  std::vector<Data> data_;
  std::size_t batch_rows_;
  std::size_t col_ = 0;
  std::size_t pending_ = 0;
  std::int64_t rows_ = 0;
};

/// Error `storage` from a database failure, naming what was being done.
Error storage_error(std::string_view doing, const std::exception& e);

/// The same for a failure on `db`: when it is an SQLite file whose filesystem has no space
/// left, the message says so and names the directory (SQLite itself often reports only "disk
/// I/O error", e.g. when the WAL index cannot grow).
Error storage_error(const Db& db, std::string_view doing, const std::exception& e);

/// Runs `f` and turns a database exception into a `storage` error naming what was being done.
template <class F>
auto guarded(const Db& db, std::string_view doing, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return storage_error(db, doing, e);
  }
}

/// Runs `f` and turns a database exception into a `storage` error naming what was being done.
template <class F>
auto guarded(std::string_view doing, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return storage_error(doing, e);
  }
}

/// The applied schema version, 0 when the database has no passline schema.
int applied_schema_version(Db& db);

/// Whole-number text of `n` (no locale).
std::string str(std::int64_t n);

}  // namespace passline::sql::detail

namespace passline::sql {
struct Store::Impl {
  detail::Db db;
  int version = 0;
};
}  // namespace passline::sql
