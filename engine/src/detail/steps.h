// The steps of deciding a unit, by the names of SPEC-v1 §4–5 (internal to the engine).
//
// decide() (decide.cc) runs them in order; explain() (explain.cc) asks the same functions why a
// number came out as it did, so the rule is written once. Thread-safety: every function here is
// pure apart from the StageWork and UnitDecision it is handed to fill.
//
// Decree §30-2② (혁신도시법 시행령): "지역인재가 채용시험의 실시단계별로 선발예정인원 대비 별표 1의
// 비율 이상이 되도록 합격시켜야 한다 ... 미달하는 경우에는 해당 비율 이상이 될 때까지
// 선발예정인원을 초과하여 지역인재를 합격시켜야 한다". decide_stage() is that sentence.
// Decree §30-2④: the units the ratio does not apply to (check_exemptions()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "passline/case.h"
#include "passline/decimal.h"
#include "passline/decision.h"
#include "passline/program.h"
#include "passline/result.h"

namespace passline::detail {

// ---- Group membership (SPEC §2, §3 `group`) -- group.cc ----------------------------------

/// True when the applicant's attribute `g.name` (the first one of that name) equals `g.equals`.
bool attribute_matches(const Applicant& a, const AttributeGroup& g);

/// True when the applicant is in `group` under the membership rules of `spec`.
bool in_group(const Applicant& a, const Group& group, Spec spec);

/// Bit p set when the applicant is in program p's group (education, attribute or any_of).
std::uint32_t group_membership(const Applicant& a, const std::vector<Program>& programs, Spec spec);

// ---- Exemptions (SPEC §5, Decree §30-2④) -- exemption.cc --------------------------------

/// The claims a unit may make, in SPEC §5's order.
enum class Claim : std::uint8_t {
  small_field,
  experienced,
  research_masters,
  regional_branch,
  applicant_share
};

/// The claim named `name`, or nullopt for a name SPEC §5 does not list.
std::optional<Claim> parse_claim(std::string_view name) noexcept;

/// What one claim's check needs: the case, the unit, the resolved programs and the unit's
/// group membership (UnitDecision::local).
struct ClaimContext {
  const Case& c;
  const Unit& unit;
  const std::vector<Program>& programs;
  const std::vector<std::uint32_t>& local;
};

/// A claim's verdict: `why` says, when the claim does not hold, what the data shows instead.
struct ClaimCheck {
  bool holds = false;
  std::string why;
};

/// small_field: the year's hires in the unit's field (this case's units + ledger.prior) are ≤ 5.
ClaimCheck check_small_field(const ClaimContext& x);
/// experienced: the unit has requires_experience: true.
ClaimCheck check_experienced(const ClaimContext& x);
/// research_masters: the unit's min_degree is masters or doctorate.
ClaimCheck check_research_masters(const ClaimContext& x);
/// regional_branch: the unit's branch_region is outside every education program's regions.
ClaimCheck check_regional_branch(const ClaimContext& x);
/// applicant_share: for every program, group members ≤ ratio × all applicants of the unit.
ClaimCheck check_applicant_share(const ClaimContext& x);

/// The check of one claim (dispatched through a table of the functions above).
ClaimCheck check_claim(Claim claim, const ClaimContext& x);

/// quota-case/2 (SPEC §3.3–3.4, §5): the check of claim `claim` for program `p` of the unit.
ClaimCheck check_claim_v2(passline::Claim claim, const ClaimContext& x, std::size_t p);

/// quota-case/2, SPEC §5: per program in force, the first claim made for it (every claim
/// recognised and holding), or nullopt. Errors: unknown_program at `units[u].exemptions.<id>`
/// for a program not in force; exemption_not_recognized / exemption_not_supported at
/// `units[u].exemptions.<id>[j]`.
Result<std::vector<std::optional<std::string>>> check_exemptions_v2(
    const Case& c, std::size_t u, const std::vector<Program>& programs,
    const std::vector<std::uint32_t>& local);

/// SPEC §5: checks every claim of unit `u` against the data; returns the first claim (nullopt
/// when none is made), or exemption_not_supported at `units[u].exemptions` naming the first
/// claim the data does not support.
Result<std::optional<std::string>> check_exemptions(const Case& c, std::size_t u,
                                                    const std::vector<Program>& programs,
                                                    const std::vector<std::uint32_t>& local);

// ---- A program's target (SPEC §4 step 4) -- target.cc -----------------------------------

/// Which rule sets a program's target at a stage, in the order they are tried.
enum class TargetBasis : std::uint8_t {
  exempt,             ///< the unit is exempt (§5): 0
  under_min_planned,  ///< unit planned < min_planned: 0
  agency_year,  ///< scope agency_year at the last stage: max(0, round((H + N) × ratio) − L)
  stage,  ///< round(N × ratio), Decree §30-2② "실시단계별로 선발예정인원 대비"
};

/// The rule that sets program `p`'s target in `unit` at a stage (last_stage: the unit's last).
TargetBasis target_basis(const Unit& unit, const Program& p, bool exempt, bool last_stage);

/// The agency's prior hires this year (H) and those of one program's group (L), from the ledger.
std::pair<std::int64_t, std::int64_t> prior_hires(const Case& c, const std::string& program);

/// quota-case/2, SPEC §4 step 4, scope agency_year at the last stage: the least t ≥ 0 with
/// L + t ≥ round(ratio × (H + P + max(0, t − have))). H, L: the year's obligated and group hires
/// before this unit; P: the stage's passers so far; have: group members among them.
std::int64_t agency_year_target(const Program& p, std::int64_t h, std::int64_t l,
                                std::int64_t passers, std::int64_t have);

/// Program `p`'s target at a stage of `planned` passers (SPEC §4 step 4).
std::int64_t program_target(const Case& c, const Unit& unit, const Program& p, bool exempt,
                            std::int64_t planned, bool last_stage);

/// The most additional passes `p` may add at a stage of `planned`: round(planned × cap ratio),
/// or INT64_MAX without a cap.
std::int64_t additional_cap(const Program& p, std::int64_t planned);

// ---- Ranking a stage and its threshold (SPEC §4 steps 1–3) -- stage.cc -------------------

/// One considered applicant at one stage: its exact score in millionths and its index in the
/// unit (case order).
struct Ranked {
  std::int64_t score;
  std::uint32_t index;
};

/// Orders Ranked highest score first (a function object, so std::sort inlines it).
struct HigherScore {
  bool operator()(const Ranked& x, const Ranked& y) const { return x.score > y.score; }
};

/// Scratch space for deciding one unit, reused from stage to stage (no allocation per stage).
struct StageWork {
  std::vector<std::uint32_t> pool;          ///< applicants still in the running, case order
  std::vector<Ranked> ranked;               ///< the considered; [0, regular) the regular passers
  std::vector<std::uint8_t> passed;         ///< per applicant, at the current stage
  std::vector<Ranked> candidates;           ///< one program's candidates at one stage
  std::vector<std::uint32_t> added_so_far;  ///< additional passers at the current stage
  std::size_t regular = 0;
  /// quota-case/2: per program, the year's obligated hires (H) and group hires (L) before this
  /// unit: the ledger plus this case's earlier units the program applied to.
  std::vector<std::pair<std::int64_t, std::int64_t>> year;
};

/// The applicant's outcome cell at stage s (out.stages must already have its final size).
inline StageOutcome& outcome_at(UnitDecision& out, std::size_t a, std::size_t s) {
  return out.outcomes[a * out.stages.size() + s];
}

/// Step 1: applicants of w.pool with no score for stage s, or listing it in `disqualified`,
/// fail `disqualified`; the rest go to w.ranked. Returns how many are considered.
std::int64_t sort_out_disqualified(const Unit& unit, std::size_t s, StageWork& w,
                                   UnitDecision& out);

/// True when no more are considered than planned: all pass, the cut is the lowest score.
inline bool all_considered_pass(std::int64_t considered, std::int64_t planned) {
  return considered <= planned;
}

/// Step 2: the cut is the planned-th highest score (the lowest when all pass); everyone at or
/// above it passes regularly, `rank` within planned and `tie` beyond. Sets w.regular and
/// w.passed; returns the cut, nullopt when nobody is considered or planned is 0.
std::optional<Decimal> regular_passes(const Unit& unit, std::size_t s, StageWork& w,
                                      UnitDecision& out);

/// Where a stage's threshold (합격하한선) comes from.
enum class ThresholdBasis : std::uint8_t {
  none,       ///< neither rule applies
  min_score,  ///< the fixed floor
  below_cut,  ///< cut − below_cut
  higher,     ///< both given: the higher of min_score and cut − below_cut
};

/// Step 3: which rule sets the threshold, given whether the stage has a cut.
ThresholdBasis threshold_basis(const Threshold& th, bool has_cut);

/// Step 3: the threshold in force at stage s of unit u (nullopt when none), or invalid_value at
/// `units[u].stages[s].threshold.below_cut` when cut − below_cut is out of range.
Result<std::optional<Decimal>> stage_threshold(const Threshold& th, std::optional<Decimal> cut,
                                               std::size_t u, std::size_t s);

/// An applicant's rank among the considered at stage s of a decided unit: 1 + the number of
/// considered applicants scoring strictly higher than `score`.
std::int64_t rank_among_considered(const Unit& unit, const UnitDecision& ud, std::size_t s,
                                   Decimal score);

// ---- Additional passes (SPEC §4 step 4, Decree §30-2②) -- additional_passes.cc -----------

/// What stopped one program's additional passes, and how many it added.
struct AddedPasses {
  std::int64_t added = 0;
  StoppedBy stop = StoppedBy::pool;
};

/// Step 4 loop for program p (bit `bit`) at stage s: group members in w.ranked beyond the
/// regular passers who have not passed, highest first, tied blocks together, added until `need`
/// is met, stopping before a score under `floor` (threshold), when none is left (pool), or
/// before a block that would take the program above `cap` (cap). Marks them passed, basis
/// additional with program p.
AddedPasses add_passes(std::size_t p, std::uint32_t bit, std::int64_t need,
                       std::optional<Decimal> floor, std::int64_t cap, std::size_t s, StageWork& w,
                       UnitDecision& out);

/// Step 4 for every program at stage s of unit u, in the case's order: target, have, need,
/// additional passes. Fills result.programs; returns the number added by all programs, or
/// threshold_missing at `units[u].stages[s].threshold` when a program needs additional
/// passes and the stage announces no threshold.
Result<std::int64_t> programs_at_stage(const Case& c, std::size_t u, std::size_t s,
                                       const std::vector<Program>& programs,
                                       std::optional<Decimal> floor, StageWork& w,
                                       UnitDecision& out);

/// Steps 1–5 at stage s of unit u: fills out.stages[s] and the stage's outcomes, and leaves the
/// stage's passers (case order) in w.pool for the next stage. Returns ok or the error.
Status decide_stage(const Case& c, std::size_t u, std::size_t s,
                    const std::vector<Program>& programs, StageWork& w, UnitDecision& out);

}  // namespace passline::detail
