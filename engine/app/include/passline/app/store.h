// passline's application layer: the storage port.
//
// The use cases (recruitments.h) talk to storage only through this interface, the way leveldb's
// DBImpl talks only to `Env`. An implementation keeps rows and transactions and no rule of the
// law: which programs applied, ledger arithmetic, supersession and compliance are decided by the
// application layer and handed to the store as plain values. Two implementations exist:
// passline::sql::Store (SOCI: SQLite or PostgreSQL) and MemoryStore (memory_store.h, for tests).
//
// Contract shared by every implementation:
// - Expected failures are Result/Status errors with a stable code; a database failure is an
//   error with code `storage`. No method throws.
// - transaction() runs its work atomically: every port call made inside it (on the same store)
//   lands together when the work returns ok, and none of them when it returns an error. Calls
//   outside a transaction each see a consistent state.
// - A store is used by one thread at a time (give each thread its own); stores on the same
//   database in several processes serialise writers as the implementation documents.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "passline/case.h"
#include "passline/decision.h"
#include "passline/merkle.h"
#include "passline/result.h"

namespace passline::app {

/// Who is storing: the time of the change, recorded with it. Tests pass a fixed clock.
/// Thread-safety: implementations must be safe to call from several threads.
struct Clock {
  virtual ~Clock() = default;
  /// Now, as RFC 3339 UTC with seconds (`2026-11-24T21:00:00Z`).
  virtual std::string now() const = 0;
};
/// The system clock.
const Clock& system_clock();

/// The state of a stored recruitment.
enum class RecruitmentState : std::uint8_t { imported, decided };
std::string_view to_string(RecruitmentState) noexcept;

/// A stored recruitment: its state and provenance.
struct RecruitmentInfo {
  std::string id;
  std::string agency;
  std::string announced;
  int year = 0;
  std::string state;  ///< "imported" or "decided" (to_string(RecruitmentState))
  std::optional<std::string> supersedes;
  std::optional<std::string> superseded_by;
  std::int64_t applicants = 0;
  std::string imported_at;
  std::optional<std::string> decided_at;
  /// The region its agency is located in, as the store holds the agency now (the annual
  /// report's regional totals); nullopt when the store has no readable region for it.
  std::optional<Region> agency_region;
  bool decided() const { return state == "decided"; }
};

/// An agency as storage holds it (the registry, schema 7): the facts of SPEC §2 that decide
/// which laws bind it, its names, and the notice or statute the facts come from. An agency that
/// a quota-case/1 import created on first sight has `registered` false, no names, no source and
/// only its code, region and `designated` (its other facts at their defaults).
struct AgencyRecord {
  /// code, region, public_institution, innovation_city; `designated` is the quota-case/1
  /// cohort (for a registered agency: its innovation cohort, else the one it had, else 2018).
  Agency agency;
  std::string name_ko;                 ///< empty for an unregistered agency
  std::optional<std::string> name_en;  ///< optional
  std::string source;                  ///< the notice or statute the facts come from
  bool registered = false;             ///< entered through the registry
};

/// What the store records of a new recruitment besides its case.
struct NewRecruitment {
  std::optional<std::string> supersedes;
  std::int64_t applicants = 0;
  std::string imported_at;
};

/// The agency's ledger for a year: hires per field and per program group (case.h's LedgerEntry,
/// ordered by field).
using Ledger = std::vector<LedgerEntry>;

/// A program as a decided recruitment recorded it.
struct DecidedProgram {
  std::string id;
  Ratio ratio;
};

/// What one decided unit contributed to the agency's year.
struct DecidedUnit {
  std::string id;
  std::string field;
  std::optional<std::string> exempt;
  std::int64_t hires = 0;
  std::vector<std::uint8_t> applies;      ///< per program: 1 when the program bound the unit
  std::vector<std::int64_t> group_hires;  ///< per program: group members among the hires
  /// quota-case/2: per program, the claim that exempts the unit from it (UnitDecision's
  /// exempt_from). Empty when the store does not keep it (quota-case/1: `exempt` exempts the
  /// unit from every program); the report then reads `exempt`.
  std::vector<std::optional<std::string>> exempt_from;
  std::int64_t planned = 0;  ///< the unit's planned hires (the ledger's posts)
};

/// One stage result of a decided recruitment that fell short of a program's target.
struct DecidedShortfall {
  std::size_t program = 0;  ///< index into DecidedRecruitment::programs
  StoppedBy stopped_by = StoppedBy::none;
  std::int64_t shortfall = 0;
};

/// The facts of a decided recruitment that the ledger and the annual report are computed from.
struct DecidedRecruitment {
  RecruitmentInfo info;
  std::vector<DecidedProgram> programs;
  std::vector<DecidedUnit> units;
  std::vector<DecidedShortfall> shortfalls;
};

/// One program's figures in an agency's year: what its ComplianceRow (compliance.h) is made of,
/// summed over the recruitments that count. The SQL store keeps them per agency and year from
/// schema 11, updated by decide in the transaction that writes the decision.
struct ProgramFigures {
  /// The target ratio of the latest counted recruitment naming the program: the greatest
  /// (announced, recruitment id), compared bytewise, so no database collation decides it.
  Ratio ratio;
  std::string ratio_announced;
  std::string ratio_recruitment;
  std::int64_t obligated = 0;    ///< hires in units the program bound
  std::int64_t group_hires = 0;  ///< of those, in the program's group
  std::int64_t min_planned = 0;  ///< units neither bound nor exempt (per-program claims kept)
  std::int64_t not_bound = 0;    ///< units not bound, no per-program claim recorded
  std::int64_t no_hires = 0;     ///< bound units that hired nobody
  std::map<std::string, std::int64_t> exempt;  ///< claim → units exempt from the program
  /// stopped_by cause → {stage results short, passes missing}
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> shortfalls;
  bool operator==(const ProgramFigures&) const = default;
};

/// An agency's figures for a year: the counted recruitments and their units, and per program
/// (by id) its figures. Summing recruitments one at a time (add_figures) gives the same figures
/// in any order.
struct YearFigures {
  std::int64_t recruitments = 0;
  std::int64_t units = 0;
  std::map<std::string, ProgramFigures> programs;
  bool operator==(const YearFigures&) const = default;
};

/// An agency's year figures as the store keeps them, with the agency's region as stored now.
struct StoredYearFigures {
  YearFigures figures;
  std::optional<Region> region;  ///< nullopt when the store has no readable region for it
};

/// Which decided recruitments to read: of one year (0 = any), one agency (empty = all), or
/// one id (non-empty: only that one).
struct DecidedFilter {
  int year = 0;
  std::string agency;
  std::string id;
};

/// A decision to commit: the case as decided (ledger.prior = the prior ledger used), the
/// decision, whether each program bound each unit (`applies[unit][program]`), and the signed
/// change to the agency's yearly ledger (the new hires, less those of a superseded recruitment).
struct DecisionRecord {
  const Case* input = nullptr;
  const Decision* decision = nullptr;
  std::vector<std::vector<std::uint8_t>> applies;
  Ledger ledger_delta;
  std::string decided_at;
};

/// The end of the decision log: what the next append starts from.
struct LogTail {
  std::uint64_t size = 0;
  std::string prev = std::string(64, '0');  ///< hex leaf hash of the last entry
  std::vector<Hash> compact_range;          ///< CompactRange::hashes() of the whole log
  Hash root{};
};

/// One log entry to store. The views point into the case being decided and are valid only
/// during the sink call that receives the row.
struct LogRow {
  std::uint64_t index = 0;
  std::string_view recruitment;
  std::optional<std::string_view> unit;       ///< null for a recruitment's header entry
  std::optional<std::string_view> applicant;  ///< null for a recruitment's header entry
  std::string entry;                          ///< canonical JSON bytes
  Hash leaf{};
  std::string leaf_hex;  ///< to_hex(leaf)
  /// passline-log/3 applicant entries: the opening the entry commits to (log.h log_opening),
  /// stored beside the log (log_openings), never in it; empty otherwise.
  std::string opening;
};

/// How long a recruitment's openings are kept (docs/AUDIT_LOG.md §1, migration 0013).
struct Retention {
  std::string recruitment;
  std::string decided_on;    ///< YYYY-MM-DD, the day the log records it decided
  std::string retain_until;  ///< YYYY-MM-DD: kept through this day, erased by the next erase after
  std::optional<std::string> erased_at;  ///< RFC 3339 UTC, once its openings are erased
  friend bool operator==(const Retention&, const Retention&) = default;
};
using LogRowSink = std::function<void(LogRow&&)>;

/// A signed checkpoint of the log.
struct StoredCheckpoint {
  std::uint64_t size = 0;
  std::string note;          ///< the C2SP signed note
  std::string verifier_key;  ///< the note verifier key that checks it
  Hash root{};
  std::string time;
};

/// Where a page of a decision's applicants resumes: after this applicant of this unit (the
/// document's order: units in case order, applicants by id, bytewise).
struct PagePosition {
  std::size_t unit = 0;  ///< index into the case's units
  std::string applicant;
};

/// Which applicants of a decided recruitment a page lists (docs/HTTP.md, decisions pages):
/// those who reached stage `stage`; who passed a stage with outcome `passed` (pass_rank,
/// pass_tie or pass_additional; with `stage`, that stage); with id `applicant`; all of them
/// when none is set. At most `limit` of them after `after`, in the document's order.
struct DecisionPageQuery {
  std::optional<std::string> stage;
  std::optional<Outcome> passed;
  std::optional<std::string> applicant;
  std::optional<PagePosition> after;
  std::size_t limit = 100;
};

/// One applicant of a page: its unit, id, group membership and outcome at each stage reached.
struct PagedApplicant {
  std::size_t unit = 0;  ///< index into DecisionPage::units
  std::string id;
  std::uint32_t local = 0;             ///< bit p: in program p's group
  std::vector<StageOutcome> outcomes;  ///< the stages reached, in stage order
};

/// A page of a decided recruitment's applicants, with what printing them needs.
struct DecisionPage {
  std::vector<std::string> programs;  ///< the decided programs' ids, in the case's order
  struct Unit {
    std::string id;
    std::vector<std::string> stages;  ///< stage names, in order
  };
  std::vector<Unit> units;                 ///< every unit of the recruitment, in case order
  std::vector<PagedApplicant> applicants;  ///< at most the query's limit
};

/// The storage port. Every method: see the contract at the top of this file.
class Store {
 public:
  virtual ~Store() = default;

  /// Runs `work` in one write transaction (see the contract above). Inside another
  /// transaction on the same store it joins that one. Returns work's status, or `storage`.
  virtual Status transaction(const std::function<Status()>& work) = 0;

  // ---- Recruitments and agencies.
  /// The recruitment `id`, or nullopt when none is stored.
  virtual Result<std::optional<RecruitmentInfo>> find_recruitment(std::string_view id) = 0;
  /// Every recruitment of `agency` (all when empty) announced in `year` (any when 0), by id.
  virtual Result<std::vector<RecruitmentInfo>> list_recruitments(std::string_view agency,
                                                                 int year) = 0;
  /// Stores `agency` unless an agency with its code is stored; returns the stored one.
  virtual Result<Agency> ensure_agency(const Agency& agency) = 0;
  /// Whether agency `code` is stored.
  virtual Result<bool> agency_exists(std::string_view code) = 0;
  /// The stored agency `code` (registered or not), or nullopt when none is stored.
  virtual Result<std::optional<AgencyRecord>> find_agency(std::string_view code) = 0;
  /// Stores `record` under its code: a new row, or every fact, name, source and the
  /// `registered` flag of the stored one replaced. The store checks nothing (agencies.h does).
  virtual Status put_agency(const AgencyRecord& record) = 0;
  /// Every stored agency (registered or not), by code (bytewise).
  virtual Result<std::vector<AgencyRecord>> list_agencies() = 0;
  /// Stores the case's recruitment, units, stages, applicants, education and scores. Returns
  /// false (storing nothing) when a recruitment with its id is stored already; else the number
  /// of score rows written.
  virtual Result<std::optional<std::int64_t>> insert_recruitment(const Case& c,
                                                                 const NewRecruitment& meta) = 0;
  /// Records that `old_id` is superseded by `new_id`; false when `old_id` is superseded already.
  virtual Result<bool> mark_superseded(std::string_view old_id, std::string_view new_id) = 0;

  // ---- Deciding.
  /// Serialises deciders of one agency until the transaction ends (a row lock where the
  /// database has them; a no-op where transactions are serial already).
  virtual Status lock_agency(std::string_view code) = 0;
  /// The stored case: agency facts, programs, units with stages and applicants. Its
  /// ledger.prior is the prior ledger it was decided with when decided, else empty.
  /// `unknown_recruitment`; `corrupt_row` for a stored value that does not parse.
  virtual Result<Case> read_case(std::string_view id) = 0;
  /// The agency's ledger for `year`, ordered by field.
  virtual Result<Ledger> read_ledger(std::string_view agency, int year) = 0;
  /// Writes a decision: its results and outcomes, the prior ledger, the ledger delta added to
  /// the agency's year, and the recruitment's state `decided`. False (writing nothing more)
  /// when the recruitment is not in state `imported` any more.
  virtual Result<bool> write_decision(const DecisionRecord& record) = 0;
  /// The stored decision of a decided recruitment whose case is `input`.
  /// `not_decided`, `corrupt_row`.
  virtual Result<Decision> read_decision(const Case& input) = 0;
  /// A page of the stored decision of the decided recruitment `id` (see DecisionPageQuery).
  /// Reads the units and programs and at most `limit` applicants (a keyset read): time and
  /// memory do not grow with the recruitment's applicants. `not_decided`, `corrupt_row`.
  virtual Result<DecisionPage> decision_page(std::string_view id,
                                             const DecisionPageQuery& query) = 0;
  /// The stored decision of the decided recruitment `id` without its applicants: the programs
  /// and every unit's figures (id, exemption, hires, group hires, each stage's planned,
  /// considered, passed, cut, threshold and per-program results); `local` and `outcomes` stay
  /// empty. Reads O(units × stages × programs) rows, nothing per applicant.
  /// `not_decided`, `corrupt_row`.
  virtual Result<Decision> read_decision_units(std::string_view id) = 0;
  /// The decided recruitments matching `filter`, by announcement date and id.
  virtual Result<std::vector<DecidedRecruitment>> decided(const DecidedFilter& filter) = 0;
  /// The figures of `agency`'s `year` as put_year_figures() left them (O(1) rows), or nullopt
  /// when none were put.
  virtual Result<std::optional<StoredYearFigures>> read_year_figures(std::string_view agency,
                                                                     int year) = 0;
  /// Replaces the figures of `agency`'s `year`. decide() calls it in the transaction that writes
  /// the decision, so the figures always equal those of the year's counted recruitments.
  virtual Status put_year_figures(std::string_view agency, int year,
                                  const YearFigures& figures) = 0;

  // ---- The decision log (docs/AUDIT_LOG.md).
  /// The log's tail. Inside a transaction it also locks the log until the transaction ends.
  virtual Result<LogTail> log_tail() = 0;
  /// Calls `produce` with a sink for new entries (indices from the tail on) and stores them,
  /// then the tail `produce` returns. Call inside the transaction that read log_tail().
  virtual Status append_log(const std::function<Result<LogTail>(const LogRowSink&)>& produce) = 0;
  /// Calls `sink` with each entry's canonical bytes for indices [begin, end) (end capped at the
  /// log's size), in order; returns how many. Memory stays flat for any size.
  virtual Result<std::uint64_t> read_log(
      std::uint64_t begin, std::uint64_t end,
      const std::function<void(std::uint64_t, std::string_view)>& sink) = 0;
  /// The leaf hashes of entries [0, end).
  virtual Result<std::vector<Hash>> leaf_hashes(std::uint64_t end) = 0;
  /// The hashes of the perfect subtrees `nodes` (merkle.h TreeNode), each lying within the log.
  /// The SQL store reads them from the log's hash tiles (O(1) tiles each); `invalid_value`
  /// when a node reaches past the log's end.
  virtual Result<std::vector<Hash>> tree_hashes(std::span<const TreeNode> nodes) = 0;
  /// The log indices of a recruitment's header and of an applicant's entries (ascending).
  /// Empty when the recruitment has no header; only the header when the applicant has none.
  virtual Result<std::vector<std::uint64_t>> log_indices(std::string_view recruitment,
                                                         std::string_view applicant) = 0;
  /// The newest checkpoint with size >= `min_size` (and, when `verifier_key` is non-empty, that
  /// key and exactly that size), or nullopt.
  virtual Result<std::optional<StoredCheckpoint>> find_checkpoint(
      std::uint64_t min_size, std::string_view verifier_key) = 0;
  virtual Status save_checkpoint(const StoredCheckpoint& c) = 0;

  // ---- Openings of passline-log/3 entries and their retention (migration 0013).
  /// Calls `sink` with the stored opening of each log index in [begin, end) that has one, in
  /// index order; returns how many.
  virtual Result<std::uint64_t> read_openings(
      std::uint64_t begin, std::uint64_t end,
      const std::function<void(std::uint64_t, std::string_view)>& sink) = 0;
  /// A recruitment's retention row, or nullopt (decided before openings existed, or never).
  virtual Result<std::optional<Retention>> read_retention(std::string_view recruitment) = 0;
  /// Every retention row, by recruitment id.
  virtual Result<std::vector<Retention>> retentions() = 0;
  /// Inserts or replaces the row of `r.recruitment`.
  virtual Status put_retention(const Retention& r) = 0;
  /// Deletes every stored opening of `recruitment`; returns how many.
  virtual Result<std::uint64_t> delete_openings(std::string_view recruitment) = 0;
};

}  // namespace passline::app
