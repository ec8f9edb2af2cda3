// passline storage through SOCI: recruitments, their decisions and each agency's yearly ledger,
// in an SQLite file (the default) or a PostgreSQL database shared by several processes.
//
// A Store implements the application layer's storage port (passline/app/store.h) and holds rows
// and transactions only; the use cases are in passline/app/recruitments.h. A Store is one
// connection. It is not thread-safe: give each thread its own Store (opening one is cheap on
// SQLite, a connection on PostgreSQL). Any number of processes may open the same database;
// app::decide() serialises deciders of the same agency (SQLite: BEGIN IMMEDIATE with a busy
// timeout; PostgreSQL: lock_agency()'s row lock), so ledgers always equal the sum of the hires.
//
// transaction() lands whole or leaves the database exactly as it was. Expected failures are
// Result errors with a stable code and the path of the offending value; SOCI/database failures
// are errors with code `storage`.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "passline/case.h"
#include "passline/decision.h"
#include "passline/merkle.h"
#include "passline/result.h"
#include "passline/app/compliance.h"
#include "passline/app/store.h"
#include "passline/rule_pack.h"

namespace passline::sql {

/// The newest schema version this build knows (adapters/sql/migrations/NNNN_*.sql).
int latest_schema_version() noexcept;

/// A parsed `--db` URL: `sqlite:PATH` (or a bare path ending in .db) or
/// `postgresql://user[:password]@host[:port]/dbname`.
struct DatabaseUrl {
  enum class Backend { sqlite, postgresql } backend = Backend::sqlite;
  std::string soci_backend;    ///< "sqlite3" or "postgresql"
  std::string connect_string;  ///< SOCI's connection string
  std::string display;         ///< the URL without any password
};

/// Parses `url`. Error `bad_db_url` (path `--db`) naming what is wrong.
Result<DatabaseUrl> parse_database_url(std::string_view url);

/// The default database: `sqlite:passline.db` in the working directory.
inline constexpr std::string_view kDefaultDatabaseUrl = "sqlite:passline.db";

// The application layer's types, used here under their old names.
using app::Clock;
using app::ComplianceRow;
using app::RecruitmentInfo;
using app::StoredCheckpoint;
using app::system_clock;

/// The storage port (app/store.h) over SOCI. Use cases live in passline::app
/// (app/recruitments.h); this class holds rows and transactions only.
class Store final : public app::Store {
 public:
  /// Opens the database at `url` and checks its schema version. Errors: `bad_db_url`;
  /// `storage` when it cannot connect; `schema_missing` when the database has no passline
  /// schema (run `passline db init`); `schema_outdated` when it is older than this build (run
  /// `passline db migrate`); `schema_too_new` when a newer passline wrote it.
  static Result<std::unique_ptr<Store>> open(std::string_view url);

  /// Creates the schema in an empty database, or brings an older one up to date, forward only.
  /// Returns the schema version reached. `schema_too_new` as for open().
  static Result<int> migrate(std::string_view url);

  ~Store() override;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const DatabaseUrl& url() const;
  int schema_version() const;

  // ---- app::Store. SQLite: a write transaction is BEGIN IMMEDIATE with a busy timeout, so
  // writers of the whole database queue; PostgreSQL: lock_agency() takes a row lock on the
  // agency and log_tail() one on the log head, held until the transaction ends.
  Status transaction(const std::function<Status()>& work) override;
  Result<std::optional<RecruitmentInfo>> find_recruitment(std::string_view id) override;
  Result<std::vector<RecruitmentInfo>> list_recruitments(std::string_view agency,
                                                         int year) override;
  Result<Agency> ensure_agency(const Agency& agency) override;
  Result<bool> agency_exists(std::string_view code) override;
  Result<std::optional<app::AgencyRecord>> find_agency(std::string_view code) override;
  Status put_agency(const app::AgencyRecord& record) override;
  Result<std::vector<app::AgencyRecord>> list_agencies() override;
  Result<std::optional<std::int64_t>> insert_recruitment(const Case& c,
                                                         const app::NewRecruitment& meta) override;
  Result<bool> mark_superseded(std::string_view old_id, std::string_view new_id) override;
  Status lock_agency(std::string_view code) override;
  Result<Case> read_case(std::string_view id) override;
  Result<app::Ledger> read_ledger(std::string_view agency, int year) override;
  Result<bool> write_decision(const app::DecisionRecord& record) override;
  Result<Decision> read_decision(const Case& input) override;
  Result<Decision> read_decision_units(std::string_view id) override;
  Result<app::DecisionPage> decision_page(std::string_view id,
                                          const app::DecisionPageQuery& query) override;
  Result<std::vector<app::DecidedRecruitment>> decided(const app::DecidedFilter& filter) override;
  Result<std::optional<app::StoredYearFigures>> read_year_figures(std::string_view agency,
                                                                  int year) override;
  Status put_year_figures(std::string_view agency, int year,
                          const app::YearFigures& figures) override;
  Result<app::LogTail> log_tail() override;
  Status append_log(
      const std::function<Result<app::LogTail>(const app::LogRowSink&)>& produce) override;
  Result<std::uint64_t> read_log(
      std::uint64_t begin, std::uint64_t end,
      const std::function<void(std::uint64_t, std::string_view)>& sink) override;
  Result<std::vector<Hash>> leaf_hashes(std::uint64_t end) override;
  Result<std::vector<Hash>> tree_hashes(std::span<const TreeNode> nodes) override;
  Result<std::vector<std::uint64_t>> log_indices(std::string_view recruitment,
                                                 std::string_view applicant) override;
  Result<std::optional<StoredCheckpoint>> find_checkpoint(std::uint64_t min_size,
                                                          std::string_view verifier_key) override;
  Status save_checkpoint(const StoredCheckpoint& c) override;
  Result<std::uint64_t> read_openings(
      std::uint64_t begin, std::uint64_t end,
      const std::function<void(std::uint64_t, std::string_view)>& sink) override;
  Result<std::optional<app::Retention>> read_retention(std::string_view recruitment) override;
  Result<std::vector<app::Retention>> retentions() override;
  Status put_retention(const app::Retention& r) override;
  Result<std::uint64_t> delete_openings(std::string_view recruitment) override;

  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend struct StoreAccess;  // access.h
};

}  // namespace passline::sql
