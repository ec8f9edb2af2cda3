// passline storage through SOCI: recruitments, their decisions and each agency's yearly ledger,
// in an SQLite file (the default) or a PostgreSQL database shared by several processes.
//
// A Store is one connection. It is not thread-safe: give each thread its own Store (opening one
// is cheap on SQLite, a connection on PostgreSQL). Any number of processes may open the same
// database; decide() serialises deciders of the same agency (SQLite: BEGIN IMMEDIATE with a busy
// timeout; PostgreSQL: a row lock on the agency), so ledgers always equal the sum of the hires.
//
// Every mutating call is one transaction: it either lands whole or leaves the database exactly
// as it was. Expected failures are Result errors with a stable code and the path of the
// offending value; SOCI/database failures are errors with code `storage`.
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
#include "passline/rule_pack.h"

namespace passline::sql {

/// The newest schema version this build knows (adapters/sql/migrations/NNNN_*.sql).
int latest_schema_version() noexcept;

/// A parsed `--db` URL: `sqlite:PATH` (or a bare path ending in .db) or
/// `postgresql://user[:password]@host[:port]/dbname`.
struct DatabaseUrl {
  enum class Backend { sqlite, postgresql } backend = Backend::sqlite;
  std::string soci_backend;     ///< "sqlite3" or "postgresql"
  std::string connect_string;   ///< SOCI's connection string
  std::string display;          ///< the URL without any password
};

/// Parses `url`. Error `bad_db_url` (path `--db`) naming what is wrong.
Result<DatabaseUrl> parse_database_url(std::string_view url);

/// The default database: `sqlite:passline.db` in the working directory.
inline constexpr std::string_view kDefaultDatabaseUrl = "sqlite:passline.db";

/// Who is storing: the time of the change, recorded with it. Tests pass a fixed clock.
struct Clock {
  virtual ~Clock() = default;
  /// Now, as RFC 3339 UTC with seconds (`2026-11-24T21:00:00Z`).
  virtual std::string now() const = 0;
};
/// The system clock.
const Clock& system_clock();

struct ImportOptions {
  /// The recruitment this one corrects. It must exist, belong to the same agency and year, and
  /// not be superseded already (`bad_supersedes`).
  std::optional<std::string> supersedes;
};

struct ImportSummary {
  std::string recruitment;
  std::int64_t units = 0;
  std::int64_t applicants = 0;
  std::int64_t scores = 0;
};

struct DecideSummary {
  std::string recruitment;
  std::string agency;
  int year = 0;
  std::int64_t applicants = 0;
  std::int64_t hires = 0;
  std::vector<std::pair<std::string, std::int64_t>> group_hires;  ///< per program, case order
  std::string decided_at;
};

/// A stored recruitment: its state and provenance.
struct RecruitmentInfo {
  std::string id;
  std::string agency;
  std::string announced;
  int year = 0;
  std::string state;  ///< "imported" or "decided"
  std::optional<std::string> supersedes;
  std::optional<std::string> superseded_by;
  std::int64_t applicants = 0;
  std::string imported_at;
  std::optional<std::string> decided_at;
};

/// A decided recruitment as stored: the case it was decided from and the decision.
struct StoredDecision {
  Case input;
  Decision decision;
};

/// One agency's compliance with one program over a year (the annual report's row).
struct ComplianceRow {
  std::string agency;
  std::string program;
  std::string ratio;              ///< the target ratio, as decimal text (`0.18`)
  std::int64_t obligated = 0;     ///< hires in units the program applied to
  std::int64_t group_hires = 0;   ///< of those, hires in the program's group
  bool met = false;               ///< group_hires >= ratio × obligated, exactly
  std::int64_t recruitments = 0;
  std::int64_t units = 0;
  std::vector<std::pair<std::string, std::int64_t>> exempt_units;  ///< reason → units
  /// stopped_by reason (threshold, pool, cap) → {stage results short, passes missing}.
  std::vector<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> shortfalls;
};

class Store {
 public:
  /// Opens the database at `url` and checks its schema version. Errors: `bad_db_url`;
  /// `storage` when it cannot connect; `schema_missing` when the database has no passline
  /// schema (run `passline db init`); `schema_outdated` when it is older than this build (run
  /// `passline db migrate`); `schema_too_new` when a newer passline wrote it.
  static Result<std::unique_ptr<Store>> open(std::string_view url);

  /// Creates the schema in an empty database, or brings an older one up to date, forward only.
  /// Returns the schema version reached. `schema_too_new` as for open().
  static Result<int> migrate(std::string_view url);

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const DatabaseUrl& url() const;
  int schema_version() const;

  /// Stores a recruitment: the agency (created on first sight; its region and cohort must not
  /// change), units, stages, applicants, education records and scores, in bulk. The case is
  /// validated first (SPEC §6 codes). `duplicate_recruitment` when the id exists.
  Result<ImportSummary> import_case(const Case& c, const ImportOptions& options = {},
                                    const Clock& clock = system_clock());

  /// Reads a stored recruitment back as a case; its ledger is the agency's current yearly
  /// ledger (without the hires of the recruitment it supersedes). `unknown_recruitment`.
  Result<Case> load_case(std::string_view recruitment_id);

  /// Decides a stored recruitment in one transaction: reads it and the agency's ledger for the
  /// year, decides with the engine, writes every decision and adds the hires to the ledger (a
  /// correction first takes the superseded recruitment's hires out). `already_decided` when
  /// it was decided before; `superseded` when a correction replaces it; engine errors as
  /// decide() returns them.
  Result<DecideSummary> decide(std::string_view recruitment_id, const RuleRegistry& rules,
                               const Clock& clock = system_clock());

  /// A recruitment's state. `unknown_recruitment`.
  Result<RecruitmentInfo> recruitment(std::string_view recruitment_id);

  /// Every recruitment of an agency (or all when empty) announced in `year` (or any year when
  /// 0), ordered by id.
  Result<std::vector<RecruitmentInfo>> recruitments(std::string_view agency, int year);

  /// A decided recruitment's case and decision, as stored. `not_decided`, `unknown_recruitment`.
  Result<StoredDecision> load_decision(std::string_view recruitment_id);

  /// The agency's ledger for a year: hires per field and per program group.
  Result<std::vector<LedgerEntry>> ledger(std::string_view agency, int year);

  /// The annual report (issue: the ministry's yearly publication): one row per agency and
  /// program, over the decided recruitments announced in `year` that no correction replaces.
  /// An empty `agency` reports every agency.
  Result<std::vector<ComplianceRow>> compliance(int year, std::string_view agency = {});

  // ---- The decision log (SPEC §7, docs/AUDIT_LOG.md). decide() appends to it in the same
  // transaction as the decision; these read it and keep its signed checkpoints.

  /// The log's size and RFC 9162 root hash.
  struct LogHead {
    std::uint64_t size = 0;
    Hash root{};
  };
  Result<LogHead> log_head();

  /// Calls `sink` with each entry's canonical bytes, in log order, for indices [begin, end)
  /// (end is capped at the log's size). Reads in batches: memory stays flat for any size.
  Result<std::uint64_t> read_log(std::uint64_t begin, std::uint64_t end,
                                 const std::function<void(std::uint64_t, std::string_view)>& sink);

  /// The leaf hashes of entries [0, end).
  Result<std::vector<Hash>> leaf_hashes(std::uint64_t end);

  /// The log indices of a recruitment's header and of an applicant's entries in it (several
  /// when the id applies in several units). `unknown_applicant` / `not_decided`.
  Result<std::vector<std::uint64_t>> log_indices(std::string_view recruitment,
                                                 std::string_view applicant);

  /// A signed checkpoint.
  struct StoredCheckpoint {
    std::uint64_t size = 0;
    std::string note;          ///< the C2SP signed note
    std::string verifier_key;  ///< the note verifier key that checks it
  };
  /// Signs a checkpoint of the log as it is now with `private_pem` / `key_name` and stores it;
  /// when the newest stored checkpoint already covers the whole log, returns that one.
  Result<StoredCheckpoint> sign_checkpoint(std::string_view private_pem, std::string_view key_name,
                                           const Clock& clock = system_clock());
  /// The newest stored checkpoint with size >= `min_size`; `no_checkpoint` when none.
  Result<StoredCheckpoint> latest_checkpoint(std::uint64_t min_size = 0);

  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  friend struct StoreAccess;  // access.h
};

}  // namespace passline::sql
