// passline: the output model, a `quota-decision/1` (SPEC.md §6), and decide().
//
// Thread-safety: decide() is pure and re-entrant; it may run concurrently on different cases,
// and on the same const Case.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "passline/case.h"
#include "passline/decimal.h"
#include "passline/program.h"
#include "passline/result.h"
#include "passline/rule_pack.h"

namespace passline {

/// Why a program stopped adding before its need was met (SPEC §4).
enum class StoppedBy : std::uint8_t { none, threshold, pool, cap };
std::string_view to_string(StoppedBy) noexcept;

/// One program's account at one stage.
struct ProgramStageResult {
  std::int64_t target = 0;
  std::int64_t regular = 0;     ///< group members among the regular (rank and tie) passers
  std::int64_t additional = 0;  ///< passes this program added
  std::int64_t shortfall = 0;   ///< max(0, need − added)
  StoppedBy stopped_by = StoppedBy::none;
};

struct StageResult {
  std::string name;
  std::int64_t planned = 0;
  std::int64_t considered = 0;       ///< scored and not disqualified
  std::optional<Decimal> cut;        ///< nullopt when nobody was considered
  std::optional<Decimal> threshold;  ///< the floor in force, nullopt when none
  std::int64_t passed = 0;
  std::vector<ProgramStageResult> programs;  ///< in the case's program order
};

/// What happened to one applicant at one stage.
enum class Outcome : std::uint8_t {
  not_reached,      ///< failed an earlier stage
  pass_rank,        ///< within the planned number
  pass_tie,         ///< tied at the cut beyond the planned number
  pass_additional,  ///< added by a program (see StageOutcome::program)
  fail_disqualified,
  fail_below_cut,
};
inline bool is_pass(Outcome o) {
  return o == Outcome::pass_rank || o == Outcome::pass_tie || o == Outcome::pass_additional;
}

struct StageOutcome {
  Outcome outcome = Outcome::not_reached;
  std::uint8_t program = 0;  ///< index into Decision::programs, with pass_additional
};

struct UnitDecision {
  std::string id;
  std::optional<std::string> exempt;  ///< quota-case/1: the first valid exemption claim
  /// quota-case/2: per program in force, the claim that exempts the unit from it, or nullopt.
  std::vector<std::optional<std::string>> exempt_from;
  std::vector<StageResult> stages;
  std::int64_t hires = 0;                 ///< passers of the last stage
  std::vector<std::int64_t> group_hires;  ///< per program: group members among the hires
  /// Per applicant (in the case's order): bit p set = member of program p's group.
  std::vector<std::uint32_t> local;
  /// outcomes[a * stages.size() + s]: applicant a (case order) at stage s.
  std::vector<StageOutcome> outcomes;

  const StageOutcome& outcome(std::size_t applicant, std::size_t stage) const {
    return outcomes[applicant * stages.size() + stage];
  }
};

struct Decision {
  Spec spec = Spec::v1;
  std::string recruitment;
  std::vector<Program> programs;  ///< resolved, in the case's order
  std::vector<UnitDecision> units;
};

/// Decides every unit of `c` under the programs it names, looked up in `rules` (SPEC §4–5).
/// Returns the decision, or the first error found (SPEC §6 codes, with the path of the
/// offending value): the case is checked as a whole before anything is decided.
Result<Decision> decide(const Case& c, const RuleRegistry& rules);

/// Whether program `p` (index `index` in the decision's programs) binds `unit`, decided as
/// `decided` (SPEC §4 step 4): not when the unit is exempt from it (§5), nor when it plans fewer
/// hires than the program's `min_planned`. An unbound unit's targets are 0 and its hires are not
/// obligated hires in the ledger and the annual report. The same rule decide() applies
/// (target.cc's target_basis).
bool program_applies(const Unit& unit, const UnitDecision& decided, std::size_t index,
                     const Program& p);

/// True when `decided` is exempt from program `index` (quota-case/1: from every program).
bool exempt_from(const UnitDecision& decided, std::size_t index);

/// Checks a case without deciding it: the structural rules of SPEC §6 (unique applicant ids,
/// last stage planned = unit planned, at most kMaxStages stages, ...). decide() calls it.
Status validate(const Case& c);

/// The engine's version, recorded with every decision.
std::string_view engine_version() noexcept;

}  // namespace passline
