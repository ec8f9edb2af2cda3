// passline: what-if decisions (issue 14, docs/SIMULATE.md). Decide a case under changed
// parameters (a stage's threshold, a program's ratio, regions or bloc, min_planned, the set of
// programs, a pack edition, the announcement date) and compare the result with a baseline
// decision; sweep one parameter over a range of values.
//
// A simulation is a value and nothing more: these functions write nowhere. The adapters label
// what they print as a simulation and never store it (no log entry, no ledger move, no
// decision row). Every figure is exact (Decimal, Ratio, integers); nothing is a double.
// Thread-safety: pure functions on values; safe to call concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "passline/case.h"
#include "passline/decimal.h"
#include "passline/decision.h"
#include "passline/region.h"
#include "passline/result.h"
#include "passline/rule_pack.h"

namespace passline {

/// Which part of a stage's threshold an override sets.
enum class ThresholdPart : std::uint8_t { min_score, below_cut };

/// A stage's threshold (합격하한선) set to a value, or removed (`value` nullopt).
struct ThresholdOverride {
  std::string unit;   ///< the unit's id; empty: every unit with a stage named `stage`
  std::string stage;  ///< the stage's name
  ThresholdPart part = ThresholdPart::min_score;
  std::optional<Decimal> value;
  std::string source;  ///< what the caller wrote (a flag, a JSON path), the path of its errors
};

/// A change to one program in force, applied after it is resolved.
struct ProgramOverride {
  std::string program;  ///< the program's id
  std::optional<Ratio> ratio;
  std::optional<std::int64_t> min_planned;
  std::optional<RegionSet> regions;  ///< replaces the regions of its education group(s)
  RegionSet bloc = 0;                ///< widens them (a regional bloc), after `regions`
  std::string source;
};

/// Every change of one simulation. An empty Overrides decides exactly as decide() does.
struct Overrides {
  std::vector<ThresholdOverride> thresholds;
  std::vector<ProgramOverride> programs;
  std::vector<std::string> add_programs;   ///< pack ids added to the case's programs
  std::vector<std::string> drop_programs;  ///< program ids removed from those in force
  std::optional<Date> announced;           ///< decide as if announced on this date
  /// pack id → version (the file stem, `2024-01-01`): resolve that pack from this edition
  /// whatever the announcement date.
  std::vector<std::pair<std::string, std::string>> editions;
  bool empty() const {
    return thresholds.empty() && programs.empty() && add_programs.empty() &&
           drop_programs.empty() && !announced && editions.empty();
  }
};

/// `c` with the case-level overrides applied (thresholds, announced, add_programs). Errors:
/// unknown_stage (no unit has that stage; path: the override's source), invalid_value (an
/// unknown unit), duplicate_program (adding a program the case names).
Result<Case> apply_case_overrides(const Case& c, const Overrides& o);

/// The registry `rules` with every edition override applied: the pack's chosen version alone,
/// in force on every date. unknown_pack (no such id), invalid_value (no such version).
Result<RuleRegistry> apply_edition_overrides(const RuleRegistry& rules, const Overrides& o);

/// The programs `c` (already overridden) is decided under: decide()'s resolution, then
/// drop_programs and the program overrides. unknown_program when an override names a program
/// not in force; bad_ratio for a ratio over 1; invalid_value for a negative min_planned.
Result<std::vector<Program>> simulated_programs(const Case& c, const RuleRegistry& rules,
                                                const Overrides& o);

/// A simulation: the case as changed and its decision.
struct Simulated {
  Case input;
  Decision decision;
};

/// Decides `c` under `o`. With no overrides the decision is decide(c, rules)'s, bit for bit.
/// Errors: the override errors above, then whatever decide() returns for the changed case.
Result<Simulated> simulate(const Case& c, const RuleRegistry& rules, const Overrides& o);

// ---- The difference from a baseline ------------------------------------------------------

/// One program's account at one stage, before and after.
struct ProgramStageDiff {
  std::string program;
  std::optional<ProgramStageResult> base, sim;  ///< nullopt: not in force on that side
};

struct StageDiff {
  std::string name;
  std::int64_t planned = 0;
  std::optional<Decimal> base_threshold, sim_threshold;
  std::optional<Decimal> base_cut, sim_cut;
  std::int64_t base_passed = 0, sim_passed = 0;
  std::vector<ProgramStageDiff> programs;  ///< the union of both sides' programs, base first
};

struct UnitDiff {
  std::string id;
  std::int64_t base_hires = 0, sim_hires = 0;
  std::vector<std::string> added;    ///< applicants hired in the simulation only (case order)
  std::vector<std::string> dropped;  ///< applicants hired in the baseline only (case order)
  /// How many applicants pass some stage on one side only: the reach of the change.
  std::int64_t changed_outcomes = 0;
  std::vector<StageDiff> stages;
};

/// One program's figures over the recruitment (and the year, with the case's ledger).
struct ProgramTotals {
  std::string ratio;             ///< the ratio in force, as text (`0.3`)
  std::int64_t obligated = 0;    ///< hires in units the program bound (program_applies)
  std::int64_t group_hires = 0;  ///< of those, in the program's group
  std::int64_t shortfall = 0;    ///< the sum of its shortfalls over every unit's stages
  /// The year's figures with the case's ledger (`ledger.prior`) added: quota-case/2's
  /// `obligated`, quota-case/1's `hires`.
  std::int64_t year_obligated = 0, year_group_hires = 0;
  /// year_group_hires ≥ ratio × year_obligated (exact); nullopt when year_obligated is 0.
  std::optional<bool> met;
  /// year_group_hires / year_obligated as a percentage with two decimals, rounded down
  /// (integer arithmetic), `-` when year_obligated is 0.
  std::string rate;
};

struct ProgramDiff {
  std::string program;
  std::optional<ProgramTotals> base, sim;
};

/// What a simulation changes against a baseline decision of the same recruitment.
struct SimulationDiff {
  std::string recruitment;
  std::vector<ProgramDiff> programs;
  std::vector<UnitDiff> units;          ///< matched by unit id (a unit in one side only is skipped)
  std::int64_t added = 0, dropped = 0;  ///< summed over the units
};

/// Program totals of decision `d` of case `c` (one entry per program of d, in its order).
std::vector<ProgramTotals> program_totals(const Case& c, const Decision& d);

/// The difference between `base` (of `base_case`) and `sim` (of `sim_case`). Pure; never fails.
SimulationDiff diff(const Case& base_case, const Decision& base, const Case& sim_case,
                    const Decision& sim);

// ---- Sweeps ------------------------------------------------------------------------------

/// The parameter a sweep varies.
struct SweepParam {
  enum class Kind : std::uint8_t { min_score, below_cut, ratio, min_planned };
  Kind kind = Kind::min_score;
  std::string unit;     ///< threshold kinds: the unit (empty: every unit with the stage)
  std::string stage;    ///< threshold kinds: the stage's name
  std::string program;  ///< ratio, min_planned: the program's id
  std::string source;   ///< what the caller wrote, the path of its errors
};

/// The values FROM, FROM+STEP, … up to TO inclusive. invalid_value (path `source`) when STEP
/// is not positive, FROM > TO, or there would be more than `max_points` values.
Result<std::vector<Decimal>> sweep_values(Decimal from, Decimal to, Decimal step,
                                          const std::string& source, std::size_t max_points = 1000);

/// One value of a sweep: the figures of its decision against the baseline.
struct SweepPoint {
  Decimal value;
  std::optional<Error> error;  ///< the decision failed at this value (threshold_missing, ...)
  std::int64_t hires = 0;
  std::int64_t added = 0, dropped = 0;  ///< against the baseline (the decision under `base`)
  std::vector<ProgramTotals> programs;  ///< in the baseline's program order
  /// Per unit, per stage, per program: the shortfall (SPEC §4 step 4), flattened in that order.
  std::vector<std::int64_t> shortfalls;
  /// The decision itself, kept only when SweepOptions::keep_decisions.
  std::optional<Decision> decision;
};

struct SweepOptions {
  bool keep_decisions = false;
};

struct Sweep {
  Simulated baseline;  ///< the case under `base` alone, decided
  std::vector<SweepPoint> points;
};

/// Decides `c` under `base` and then under `base` plus `param` = each of `values`, ranking each
/// stage's applicants once and reusing the ranking (and, for a threshold, the group memberships
/// and exemptions) for every value. Each point's decision equals simulate()'s for the same
/// overrides, bit for bit. Errors: those of simulate() for the baseline, unknown_stage /
/// unknown_program when `param` names nothing, bad_ratio / invalid_value for a value out of
/// range; a value whose decision fails is a point with `error` set.
Result<Sweep> sweep(const Case& c, const RuleRegistry& rules, const Overrides& base,
                    const SweepParam& param, const std::vector<Decimal>& values,
                    const SweepOptions& options = {});

}  // namespace passline
