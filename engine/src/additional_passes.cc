// Additional passes (추가합격, SPEC §4 step 4): each program, in the case's order, adds group
// members beyond the planned number until its target is met, down to the threshold.
//
// Decree §30-2② (혁신도시법 시행령): "미달하는 경우에는 해당 비율 이상이 될 때까지
// 선발예정인원을 초과하여 지역인재를 합격시켜야 한다"; the seed document: "합격 하한선 내의
// 지역인재를 추가로 합격시키는 방식".
#include <algorithm>

#include "detail/paths.h"
#include "detail/steps.h"

namespace passline::detail {
namespace {

/// have: group members (bit) among the regular passers and the additional passers so far.
/// Sets pr.regular.
std::int64_t group_passers(std::uint32_t bit, const StageWork& w, const UnitDecision& out,
                           ProgramStageResult& pr) {
  for (std::size_t i = 0; i < w.regular; ++i)
    if (out.local[w.ranked[i].index] & bit) ++pr.regular;
  std::int64_t have = pr.regular;
  for (std::uint32_t a : w.added_so_far)
    if (out.local[a] & bit) ++have;
  return have;
}

/// Candidates: group members below the cut who have not passed, highest first.
void collect_candidates(std::uint32_t bit, StageWork& w, const UnitDecision& out) {
  w.candidates.clear();
  for (std::size_t i = w.regular; i < w.ranked.size(); ++i)
    if (!w.passed[w.ranked[i].index] && (out.local[w.ranked[i].index] & bit))
      w.candidates.push_back(w.ranked[i]);
  std::sort(w.candidates.begin(), w.candidates.end(), HigherScore{});
}

}  // namespace

AddedPasses add_passes(std::size_t p, std::uint32_t bit, std::int64_t need,
                       std::optional<Decimal> floor, std::int64_t cap, std::size_t s, StageWork& w,
                       UnitDecision& out) {
  collect_candidates(bit, w, out);
  AddedPasses r;
  std::size_t i = 0;
  while (r.added < need) {
    if (i == w.candidates.size()) return {r.added, StoppedBy::pool};
    const std::int64_t score = w.candidates[i].score;
    if (!floor || score < floor->units()) return {r.added, StoppedBy::threshold};
    // All members tied at this score go together.
    std::size_t j = i;
    while (j < w.candidates.size() && w.candidates[j].score == score) ++j;
    const auto block = static_cast<std::int64_t>(j - i);
    if (r.added + block > cap) return {r.added, StoppedBy::cap};
    for (std::size_t k = i; k < j; ++k) {
      const std::uint32_t a = w.candidates[k].index;
      w.passed[a] = 1;
      w.added_so_far.push_back(a);
      outcome_at(out, a, s) = StageOutcome{Outcome::pass_additional, static_cast<std::uint8_t>(p)};
    }
    r.added += block;
    i = j;
  }
  return r;
}

Result<std::int64_t> programs_at_stage(const Case& c, std::size_t u, std::size_t s,
                                       const std::vector<Program>& programs,
                                       std::optional<Decimal> floor, StageWork& w,
                                       UnitDecision& out) {
  const Unit& unit = c.units[u];
  const Stage& stage = unit.stages[s];
  const bool last_stage = s + 1 == unit.stages.size();
  const bool has_threshold_rule = stage.threshold.min_score || stage.threshold.below_cut;
  StageResult& result = out.stages[s];
  result.programs.resize(programs.size());
  w.added_so_far.clear();
  std::int64_t total_added = 0;
  for (std::size_t p = 0; p < programs.size(); ++p) {
    const Program& program = programs[p];
    ProgramStageResult& pr = result.programs[p];
    const std::uint32_t bit = std::uint32_t{1} << p;
    const bool exempt = exempt_from(out, p);
    const std::int64_t have = group_passers(bit, w, out, pr);
    if (c.spec == Spec::v2 &&
        target_basis(unit, program, exempt, last_stage) == TargetBasis::agency_year) {
      const auto [h, l] = w.year[p];
      const auto passers = static_cast<std::int64_t>(w.regular) + total_added;
      pr.target = agency_year_target(program, h, l, passers, have);
    } else if (c.spec == Spec::v2 && program.scope == Scope::agency_year) {
      pr.target = 0;  // SPEC §4 step 4: an agency_year program sets no target before the last stage
    } else {
      pr.target = program_target(c, unit, program, exempt, stage.planned, last_stage);
    }
    const std::int64_t need = pr.target - have;
    if (need <= 0) continue;
    if (!has_threshold_rule)
      return make_error("threshold_missing", path(path("units", u) + ".stages", s) + ".threshold",
                        "stage '" + stage.name + "' needs " + std::to_string(need) +
                            " additional passes for '" + program.id +
                            "' but announces no threshold (min_score or below_cut)");
    const AddedPasses added =
        add_passes(p, bit, need, floor, additional_cap(program, stage.planned), s, w, out);
    pr.additional = added.added;
    total_added += added.added;
    if (added.added < need) {
      pr.shortfall = need - added.added;
      pr.stopped_by = added.stop;
    }
  }
  return total_added;
}

}  // namespace passline::detail
