// passline's application layer: the use cases of stored recruitments. The CLI and the HTTP
// service call these and print what they return; storage is reached only through the port
// (store.h). A reader who wants to know what "decide a stored recruitment" does reads decide().
//
// Every use case that writes runs in one store transaction: it lands whole or not at all.
// Thread-safety: as the Store passed in (one thread per store).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "passline/app/compliance.h"
#include "passline/app/openings.h"
#include "passline/app/store.h"
#include "passline/json.h"
#include "passline/rule_pack.h"

namespace passline::app {

struct ImportOptions {
  /// The recruitment this one corrects. It must exist, belong to the same agency and year, and
  /// not be superseded already (`bad_supersedes`).
  std::optional<std::string> supersedes;
  /// The rules the import is checked against (law_binds); nullptr: the bundled rule packs.
  const RuleRegistry* rules = nullptr;
};

struct ImportSummary {
  std::string recruitment;
  std::int64_t units = 0;
  std::int64_t applicants = 0;
  std::int64_t scores = 0;
};

/// Stores a recruitment. The case is validated first (SPEC §6 codes); it may not carry
/// ledger.prior (`invalid_value`: the store's ledger is the prior). A quota-case/2 case's agency
/// must be registered with exactly the case's facts (agencies.h: check_case_agency:
/// `unknown_agency`, `agency_mismatch`). A quota-case/1 case's agency is stored on first sight
/// and its region and cohort may not change (`agency_mismatch`).
/// `duplicate_recruitment` when the id is stored; `bad_supersedes` as ImportOptions says.
Result<ImportSummary> import_case(Store& store, const Case& c, const ImportOptions& options = {},
                                  const Clock& clock = system_clock());

/// A decided recruitment: the case it was decided from (ledger.prior as used) and the decision.
struct StoredDecision {
  Case input;
  Decision decision;
};

/// What decide() did: the summary and the case and decision it computed (print these; there is
/// no need to read them back).
struct Decided : StoredDecision {
  std::string recruitment;
  std::string agency;
  int year = 0;
  std::int64_t applicants = 0;
  std::int64_t hires = 0;
  std::vector<std::pair<std::string, std::int64_t>> group_hires;  ///< per program, case order
  std::string decided_at;
};

/// Decides a stored recruitment in one transaction: reads it and its agency's ledger for the
/// year (a correction's ledger without the hires of the recruitment it supersedes), decides with
/// the engine, writes every result, moves the ledger and appends the decision log.
/// `unknown_recruitment`; `already_decided` when it was decided before (a decision is final);
/// `superseded` when a correction replaces it; engine errors as decide() returns them.
/// The log entries are passline-log/3: each applicant's inputs are committed to with a salt from
/// `salts`, the openings stored beside the log with a retention row (openings.h; retained
/// kDefaultRetentionDays days after the decision unless set_retention() changes it).
Result<Decided> decide(Store& store, std::string_view recruitment_id, const RuleRegistry& rules,
                       const Clock& clock = system_clock(),
                       const SaltSource& salts = system_salts());

/// A stored recruitment's state. `unknown_recruitment`.
Result<RecruitmentInfo> recruitment(Store& store, std::string_view recruitment_id);

/// A stored recruitment as a case, with the ledger.prior it was (when decided) or would be
/// decided with. `unknown_recruitment`.
Result<Case> load_case(Store& store, std::string_view recruitment_id);

/// A decided recruitment's case and decision, as stored. `unknown_recruitment`, `not_decided`.
Result<StoredDecision> load_decision(Store& store, std::string_view recruitment_id);

/// A page of a decided recruitment's applicants (DecisionPageQuery, store.h): a keyset read
/// whose cost does not grow with the recruitment. `unknown_recruitment`, `not_decided`.
Result<DecisionPage> decision_page(Store& store, std::string_view recruitment_id,
                                   const DecisionPageQuery& query);

/// A decided recruitment's decision without its applicants (Store::read_decision_units): the
/// per-unit and per-stage figures, read in rows that do not grow with the applicants.
/// `unknown_recruitment`, `not_decided`.
Result<Decision> decision_units(Store& store, std::string_view recruitment_id);

/// Writes the decision document of the decided recruitment whose figures decision_units()
/// returned, byte for byte what load_decision() and decision_to_json() give, reading its
/// applicants in keyset pages of `page_size` (Store::decision_page): memory is one page,
/// whatever the recruitment's size. An error after the first piece (a failed read) leaves the
/// sink with a cut document; the caller must not present it as whole. `corrupt_row` when the
/// stored order breaks the document's.
Status write_stored_decision(Store& store, const Decision& figures, const DecisionSink& sink,
                             std::size_t page_size = 1000);

/// The agency's ledger for a year.
Result<Ledger> ledger(Store& store, std::string_view agency, int year);

/// The annual report: one row per agency and program over the recruitments of `year` that
/// count (compliance.h's counted()); one agency's when `agency` is not empty.
Result<std::vector<ComplianceRow>> compliance(Store& store, int year, std::string_view agency = {});

/// The log's size and RFC 9162 root hash.
struct LogHead {
  std::uint64_t size = 0;
  Hash root{};
};
Result<LogHead> log_head(Store& store);

/// Signs a checkpoint of the log as it is now with `private_pem` / `key_name` and stores it;
/// when this key signed the log at its current size already, returns that checkpoint.
Result<StoredCheckpoint> sign_checkpoint(Store& store, std::string_view private_pem,
                                         std::string_view key_name,
                                         const Clock& clock = system_clock());

/// The newest stored checkpoint with size >= `min_size`; `no_checkpoint` when none.
Result<StoredCheckpoint> latest_checkpoint(Store& store, std::uint64_t min_size = 0);

/// The log indices of a recruitment's header and of an applicant's entries in it.
/// `unknown_recruitment`, `not_decided`, `unknown_applicant`.
Result<std::vector<std::uint64_t>> log_indices(Store& store, std::string_view recruitment,
                                               std::string_view applicant);

}  // namespace passline::app
