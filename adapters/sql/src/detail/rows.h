// Internals: the case ↔ rows mapping shared by import, decide and the readers.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "detail/db.h"
#include "passline/app/store.h"
#include "passline/case.h"
#include "passline/region.h"

namespace passline::sql::detail {

/// Writes the units, stages, applicants, education records and scores of `c` in bulk.
/// Returns the number of score rows. Throws soci::soci_error.
std::int64_t insert_units(Db& db, const Case& c);

/// Reads a stored recruitment as a case; its ledger.prior is the one it was decided with
/// (empty before it is decided). `unknown_recruitment`, `corrupt_row`. Throws on database errors.
Result<Case> read_case(Db& db, std::string_view recruitment_id);

/// The agency's ledger for a year, by field.
app::Ledger read_ledger(Db& db, const std::string& agency, long long year);

/// Which specification decides the stored recruitment `id`: quota-case/2 when it is stored with
/// its document (schema 8), else quota-case/1 (also for an id not stored).
Spec stored_spec(Db& db, const std::string& id);

/// The recruitment `id`, or nullopt when none is stored.
std::optional<app::RecruitmentInfo> read_recruitment(Db& db, std::string_view id);

/// A recruitments row's bound variables (id, agency, announced, year, state, supersedes,
/// superseded_by, applicants, imported_at, decided_at, agency region, each nullable column
/// with its indicator) as the stored recruitment.
template <class Vars>
app::RecruitmentInfo recruitment_info(const Vars& v) {
  app::RecruitmentInfo r;
  r.id = v.id;
  r.agency = v.agency;
  r.announced = v.announced;
  r.state = v.state;
  r.imported_at = v.imported;
  if (v.region_i == soci::i_ok) r.agency_region = parse_region(v.region);
  r.year = static_cast<int>(v.year);
  r.applicants = v.applicants;
  if (v.sup_i == soci::i_ok) r.supersedes = v.sup;
  if (v.supby_i == soci::i_ok) r.superseded_by = v.supby;
  if (v.dec_i == soci::i_ok) r.decided_at = v.dec;
  return r;
}

/// The bulk insert of stage_outcomes rows: recruitment, unit_ord, applicant_ord, stage_ord,
/// outcome, program_ord (null but with pass_additional).
BulkInsert stage_outcome_rows(Db& db);

/// The decided recruitments matching `filter` (Store::decided). `corrupt_row`; throws on
/// database errors.
Result<std::vector<app::DecidedRecruitment>> read_decided(Db& db, const app::DecidedFilter& filter);

/// The figures of `agency`'s `year` (schema 11), nullopt when none are kept. `corrupt_row`;
/// throws on database errors.
Result<std::optional<app::StoredYearFigures>> read_year_figures(Db& db, const std::string& agency,
                                                                long long year);

/// Replaces the figures of `agency`'s `year`. Throws on database errors.
void put_year_figures(Db& db, const std::string& agency, long long year,
                      const app::YearFigures& figures);

/// Schema 11's data step: the figures of every agency's year summed from its stored decisions.
void backfill_year_figures(Db& db);

/// Error `corrupt_row` naming the column and the stored value.
Error corrupt(std::string_view what, std::string_view value);

}  // namespace passline::sql::detail
