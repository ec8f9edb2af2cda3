// passline's application layer: the annual report of SPEC §7. Each agency's compliance with
// each program over a year, the agencies with no obligated hiring counted apart with their
// reasons, and the totals per region and national in the form of MOLIT's yearly publication
// under 혁신도시법 §29-2⑤ ("N of M obligated hires local (x%); A of B agencies with obligated
// hiring met the target; C had no obligated hiring"). docs/REPORT.md describes the report.
// Thread-safety: pure functions on values; annual_report() as the store it is given.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "passline/app/store.h"

namespace passline::app {

/// A count per reason (a claim, a cause), ordered by reason.
using ReasonCounts = std::vector<std::pair<std::string, std::int64_t>>;
/// stopped_by cause (threshold, pool, cap) → {stage results short, passes missing}.
using ShortfallCounts = std::vector<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>>;

/// One agency's compliance with one program over a year.
struct ComplianceRow {
  std::string agency;
  std::optional<Region> region;  ///< the agency's region as stored; nullopt when unknown
  std::string program;
  std::string ratio;             ///< the target ratio of the latest recruitment, as text (`0.18`)
  std::int64_t obligated = 0;    ///< hires in units the program bound (program_applies)
  std::int64_t group_hires = 0;  ///< of those, hires in the program's group
  /// group_hires ≥ ratio × obligated, exactly (Ratio::at_least). nullopt when obligated is 0:
  /// an agency with no obligated hires neither met nor missed the target (SPEC §7).
  std::optional<bool> met;
  std::int64_t recruitments = 0;
  std::int64_t units = 0;
  /// Units exempt from this program, by the claim that held (quota-case/1: the unit's one
  /// claim, which exempts it from every program; quota-case/2: its claim for this program).
  ReasonCounts exempt_units;
  /// Why the agency had no obligated hires under this program (empty when obligated > 0), as
  /// reason → units: each claim of exempt_units; `min_planned` (units planning fewer hires
  /// than the program's min_planned: not bound, and no per-program claim held); `not_bound`
  /// (units it did not bind where the store recorded no per-program claims: under min_planned,
  /// or exempt by a quota-case/2 claim the store did not keep); `no_hires` (units it bound that
  /// hired nobody).
  ReasonCounts no_obligation;
  ShortfallCounts shortfalls;
};

/// Why an agency of the year has no row at all (counted apart with no obligated hiring).
inline constexpr const char* kNoDecidedRecruitment = "no_decided_recruitment";
inline constexpr const char* kNoProgram = "no_program";

/// An agency of the year with no row: it announced recruitments in the year but none is
/// decided (`no_decided_recruitment`), or no program bound any of its decided ones
/// (`no_program`, a quota-case/1 case naming no program).
struct AgencyWithoutRow {
  std::string agency;
  std::optional<Region> region;
  std::string reason;
};

/// One program's totals over a set of agencies: one region's, or the nation's.
struct ComplianceTotals {
  std::string program;
  std::optional<Region> region;  ///< regional totals: the region (nullopt: region unknown)
  std::int64_t agencies = 0;     ///< every agency counted: agencies_obligated + not_obligated
  std::int64_t agencies_obligated = 0;      ///< B: agencies with obligated hires
  std::int64_t agencies_met = 0;            ///< A: of those, agencies that met the target
  std::int64_t agencies_not_obligated = 0;  ///< C: agencies with no obligated hires (met null)
  std::int64_t obligated = 0;               ///< M: obligated hires
  std::int64_t group_hires = 0;             ///< N: of those, in the program's group
  /// Of the C agencies, reason → agencies giving it (an agency with units exempt by two claims
  /// counts under both; AgencyWithoutRow's reason for an agency without a row).
  ReasonCounts no_obligation;
  ShortfallCounts shortfalls;  ///< summed over the agencies
};

/// The annual report of one year.
struct ComplianceReport {
  int year = 0;
  std::vector<ComplianceRow> rows;  ///< one per agency and program, by agency then program
  std::vector<AgencyWithoutRow> without_row;  ///< by agency
  /// Per program (in program-id order), per region in SPEC §2 order, unknown region last.
  std::vector<ComplianceTotals> regions;
  std::vector<ComplianceTotals> national;  ///< per program, in program-id order
};

/// Adds what the decided recruitment `r` contributes to its agency's year.
void add_figures(YearFigures& figures, const DecidedRecruitment& r);

/// The figures of one agency's counted recruitments (already counted(), all of one agency).
YearFigures year_figures(const std::vector<DecidedRecruitment>& counted_of_one_agency);

/// The report's rows of one agency from its year's figures, one per program, by program id.
/// Identical to compliance_rows() over the recruitments the figures were summed from.
std::vector<ComplianceRow> compliance_rows(const std::string& agency,
                                           const std::optional<Region>& region,
                                           const YearFigures& figures);

/// The recruitments that count for the year: every decided one except those replaced by a
/// decided correction (a correction that is not decided yet replaces nothing). Keeps order.
std::vector<DecidedRecruitment> counted(std::vector<DecidedRecruitment> decided);

/// The report's rows over `decided` (already counted()), one per agency and program, ordered by
/// agency then program. A program's ratio and the agency's region are those of the agency's
/// latest announced recruitment (the greatest (announced, id), bytewise).
std::vector<ComplianceRow> compliance_rows(const std::vector<DecidedRecruitment>& decided);

/// The whole report: compliance_rows(decided) (decided already counted()), the agencies of
/// `listed` (the year's recruitments in any state) or of `decided` that have no row, and the
/// totals. An agency without a row counts, with its reason, among the agencies with no
/// obligated hiring of every program of the report. Never fails.
ComplianceReport compliance_report(int year, const std::vector<DecidedRecruitment>& decided,
                                   const std::vector<RecruitmentInfo>& listed = {});

/// The report of `rows` alone (no agency without a row), with its totals.
ComplianceReport compliance_report(int year, std::vector<ComplianceRow> rows);

/// The annual report use case: the decided recruitments of `year` that count, and the year's
/// recruitments in any state (for the agencies that decided none), of one agency when `agency`
/// is not empty. One agency's report with decided recruitments is read from the figures that
/// decide keeps (Store::read_year_figures: O(1) rows), the same report as recomputed from its
/// decided recruitments. Errors: the store's (`storage`, `corrupt_row`).
Result<ComplianceReport> annual_report(Store& store, int year, std::string_view agency = {});

/// The annual report recomputed from the decided recruitments alone (never the kept figures):
/// what annual_report() must equal. For tests and `passline report --check`-style audits.
Result<ComplianceReport> recomputed_report(Store& store, int year, std::string_view agency = {});

}  // namespace passline::app
