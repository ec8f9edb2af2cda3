// Internals: the case ↔ rows mapping shared by import, decide and the readers.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "detail/db.h"
#include "passline/case.h"

namespace passline::sql::detail {

/// The case's `programs` as JSON text (pack ids and inline programs, as quota-case/1 writes
/// them), and back for the case whose agency and recruitment are already read.
Result<std::string> programs_to_json(const Case& c);
Result<std::vector<ProgramRef>> programs_from_json(const Case& c, const std::string& text);

/// Writes the units, stages, applicants, education records and scores of `c` in bulk.
/// Returns the number of score rows. Throws soci::soci_error.
std::int64_t insert_units(Db& db, const Case& c);

/// Reads a stored recruitment as a case, with the agency's yearly ledger as `ledger.prior`
/// (less the hires of the decided recruitment it supersedes).
Result<Case> read_case(Db& db, std::string_view recruitment_id);

/// What a decided recruitment put into its agency's ledger, by field (empty when not decided).
std::map<std::string, LedgerEntry> contribution(Db& db, const std::string& recruitment_id);

/// The agency's ledger for a year.
std::vector<LedgerEntry> read_ledger(Db& db, const std::string& agency, long long year);

Result<RecruitmentInfo> read_recruitment(Db& db, std::string_view id);

}  // namespace passline::sql::detail
