// Ranking a stage, its cut and its threshold (SPEC §4 steps 1–3, 5), and decide_stage(), the
// whole of one stage.
//
// Decree §30-2② (혁신도시법 시행령): "지역인재가 채용시험의 실시단계별로 선발예정인원 대비 별표 1의
// 비율 이상이 되도록 합격시켜야 한다 ... 미달하는 경우에는 해당 비율 이상이 될 때까지
// 선발예정인원을 초과하여 지역인재를 합격시켜야 한다". decide_stage() is that sentence: rank, then
// add local passers beyond the planned number down to the threshold (합격하한선).
#include <algorithm>

#include "detail/paths.h"
#include "detail/steps.h"

namespace passline::detail {
namespace {

/// The cut: the planned-th highest score, or the lowest when all pass. Reorders w.ranked.
std::int64_t find_cut(StageWork& w, std::size_t planned) {
  if (all_considered_pass(static_cast<std::int64_t>(w.ranked.size()),
                          static_cast<std::int64_t>(planned))) {
    std::int64_t cut = w.ranked.front().score;
    for (const Ranked& r : w.ranked) cut = std::min(cut, r.score);
    return cut;
  }
  const auto nth = w.ranked.begin() + static_cast<std::ptrdiff_t>(planned - 1);
  std::nth_element(w.ranked.begin(), nth, w.ranked.end(), HigherScore{});
  return nth->score;
}

/// Step 5: everyone considered who did not pass fails below the cut; passers form the next pool.
void fail_below_cut(std::size_t s, StageWork& w, UnitDecision& out) {
  w.pool.clear();
  for (const Ranked& r : w.ranked) {
    if (w.passed[r.index]) {
      w.pool.push_back(r.index);
      w.passed[r.index] = 0;
    } else {
      outcome_at(out, r.index, s).outcome = Outcome::fail_below_cut;
    }
  }
  std::sort(w.pool.begin(), w.pool.end());
}

}  // namespace

std::int64_t sort_out_disqualified(const Unit& unit, std::size_t s, StageWork& w,
                                   UnitDecision& out) {
  w.ranked.clear();
  for (std::uint32_t a : w.pool) {
    const auto& score = unit.applicants[a].scores[s];
    if (!score || (unit.applicants[a].disqualified >> s) & 1u)
      outcome_at(out, a, s).outcome = Outcome::fail_disqualified;
    else
      w.ranked.push_back({score->units(), a});
  }
  return static_cast<std::int64_t>(w.ranked.size());
}

std::optional<Decimal> regular_passes(const Unit& unit, std::size_t s, StageWork& w,
                                      UnitDecision& out) {
  // Only the block tied at the cut is ordered further, by applicant id (bytewise), so which of
  // them count as `rank` and which as `tie` does not depend on input order.
  const auto planned = static_cast<std::size_t>(unit.stages[s].planned);
  w.regular = 0;
  if (w.ranked.empty() || planned == 0) return std::nullopt;
  const std::int64_t cut = find_cut(w, planned);
  // Partition: above the cut, at the cut, below the cut.
  auto above_end = std::partition(w.ranked.begin(), w.ranked.end(),
                                  [cut](const Ranked& r) { return r.score > cut; });
  auto at_end =
      std::partition(above_end, w.ranked.end(), [cut](const Ranked& r) { return r.score == cut; });
  std::sort(above_end, at_end, [&](const Ranked& x, const Ranked& y) {
    return unit.applicants[x.index].id < unit.applicants[y.index].id;
  });
  w.regular = static_cast<std::size_t>(at_end - w.ranked.begin());
  for (std::size_t i = 0; i < w.regular; ++i) {
    const std::uint32_t a = w.ranked[i].index;
    outcome_at(out, a, s).outcome = i < planned ? Outcome::pass_rank : Outcome::pass_tie;
    w.passed[a] = 1;
  }
  return Decimal::from_units(cut);
}

ThresholdBasis threshold_basis(const Threshold& th, bool has_cut) {
  if (th.below_cut && has_cut)
    return th.min_score ? ThresholdBasis::higher : ThresholdBasis::below_cut;
  return th.min_score ? ThresholdBasis::min_score : ThresholdBasis::none;
}

Result<std::optional<Decimal>> stage_threshold(const Threshold& th, std::optional<Decimal> cut,
                                               std::size_t u, std::size_t s) {
  const ThresholdBasis basis = threshold_basis(th, cut.has_value());
  if (basis == ThresholdBasis::none || basis == ThresholdBasis::min_score) return th.min_score;
  const std::optional<Decimal> relative = checked_sub(*cut, *th.below_cut);
  if (!relative)
    return make_error("invalid_value",
                      path(path("units", u) + ".stages", s) + ".threshold.below_cut",
                      "below_cut is out of range");
  if (basis == ThresholdBasis::higher && !(*relative > *th.min_score)) return th.min_score;
  return relative;
}

std::int64_t rank_among_considered(const Unit& unit, const UnitDecision& ud, std::size_t s,
                                   Decimal score) {
  std::int64_t higher = 0;
  for (std::size_t b = 0; b < unit.applicants.size(); ++b) {
    const Outcome ob = ud.outcome(b, s).outcome;
    if (ob == Outcome::not_reached || ob == Outcome::fail_disqualified) continue;
    const auto& other = unit.applicants[b].scores;
    if (s < other.size() && other[s] && *other[s] > score) ++higher;
  }
  return higher + 1;
}

Status decide_stage(const Case& c, std::size_t u, std::size_t s,
                    const std::vector<Program>& programs, StageWork& w, UnitDecision& out) {
  const Unit& unit = c.units[u];
  const Stage& stage = unit.stages[s];
  StageResult& result = out.stages[s];
  result.name = stage.name;
  result.planned = stage.planned;

  // SPEC §4 steps 1–2: the considered, the cut, the regular passers.
  result.considered = sort_out_disqualified(unit, s, w, out);
  result.cut = regular_passes(unit, s, w, out);
  // Step 3: the threshold (합격하한선).
  auto floor = stage_threshold(stage.threshold, result.cut, u, s);
  if (!floor.ok()) return std::move(floor).error();
  result.threshold = *floor;
  // quota-case/2, SPEC §4 step 3: a threshold below 0 is 0.
  if (c.spec == Spec::v2 && result.threshold && result.threshold->units() < 0)
    result.threshold = Decimal::from_units(0);
  // Step 4: each program's additional passes (추가합격).
  auto added = programs_at_stage(c, u, s, programs, result.threshold, w, out);
  if (!added.ok()) return std::move(added).error();
  result.passed = static_cast<std::int64_t>(w.regular) + *added;
  // Step 5: the rest fail below the cut; the passers are the next stage's pool.
  fail_below_cut(s, w, out);
  return {};
}

}  // namespace passline::detail
