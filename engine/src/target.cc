// A program's target (채용목표) at a stage, and its cap on additional passes (SPEC §4 step 4).
//
// Decree §30-2② (혁신도시법 시행령): "실시단계별로 선발예정인원 대비 별표 1의 비율 이상": local
// passers ÷ planned ≥ ratio, so the target is round(planned × ratio) under the program's
// rounding (ceil for kr-innovation-city). Exempt units (§30-2④) have target 0.
#include <algorithm>
#include <limits>

#include "detail/steps.h"

namespace passline::detail {

TargetBasis target_basis(const Unit& unit, const Program& p, bool exempt, bool last_stage) {
  if (exempt) return TargetBasis::exempt;
  if (unit.planned < p.min_planned) return TargetBasis::under_min_planned;
  if (p.scope == Scope::agency_year && last_stage) return TargetBasis::agency_year;
  return TargetBasis::stage;
}

std::pair<std::int64_t, std::int64_t> prior_hires(const Case& c, const std::string& program) {
  std::int64_t h = 0, l = 0;
  for (const LedgerEntry& e : c.ledger) {
    h += e.hires;
    if (auto it = e.group_hires.find(program); it != e.group_hires.end()) l += it->second;
  }
  return {h, l};
}

std::int64_t program_target(const Case& c, const Unit& unit, const Program& p, bool exempt,
                            std::int64_t planned, bool last_stage) {
  switch (target_basis(unit, p, exempt, last_stage)) {
    case TargetBasis::exempt:
    case TargetBasis::under_min_planned: return 0;
    case TargetBasis::agency_year: {
      const auto [h, l] = prior_hires(c, p.id);
      return std::max<std::int64_t>(0, p.ratio.apply(h + planned, p.rounding) - l);
    }
    case TargetBasis::stage: break;
  }
  return p.ratio.apply(planned, p.rounding);
}

std::int64_t agency_year_target(const Program& p, std::int64_t h, std::int64_t l,
                                std::int64_t passers, std::int64_t have) {
  // 지방대육성법 §13②: the year's group hires reach the ratio of the year's new hires, each
  // member added beyond the planned number being a new hire too. f(t) = L + t − round(ratio ×
  // (H + P + max(0, t − have))) never decreases in t (the ratio is below 1), so the least t
  // with f(t) ≥ 0 is found by doubling, then bisection.
  auto reaches = [&](std::int64_t t) {
    return l + t >= p.ratio.apply(h + passers + std::max<std::int64_t>(0, t - have), p.rounding);
  };
  if (reaches(0)) return 0;
  std::int64_t lo = 0, hi = 1;  // reaches(lo) is false
  while (!reaches(hi)) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (reaches(mid) ? hi : lo) = mid;
  }
  return hi;
}

std::int64_t additional_cap(const Program& p, std::int64_t planned) {
  return p.cap ? p.cap->ratio.apply(planned, p.cap->rounding)
               : std::numeric_limits<std::int64_t>::max();
}

}  // namespace passline::detail

namespace passline {

bool exempt_from(const UnitDecision& decided, std::size_t index) {
  if (!decided.exempt_from.empty())
    return index < decided.exempt_from.size() && decided.exempt_from[index].has_value();
  return decided.exempt.has_value();
}

bool program_applies(const Unit& unit, const UnitDecision& decided, std::size_t index,
                     const Program& p) {
  const auto basis = detail::target_basis(unit, p, exempt_from(decided, index), true);
  return basis != detail::TargetBasis::exempt && basis != detail::TargetBasis::under_min_planned;
}

}  // namespace passline
