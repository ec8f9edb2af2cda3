// Deciding a case: programs, exemptions and stages (SPEC.md §3–5).
//
// Decree §30-2② (혁신도시법 시행령): "지역인재가 채용시험의 실시단계별로 선발예정인원 대비 별표 1의
// 비율 이상이 되도록 합격시켜야 한다 ... 미달하는 경우에는 해당 비율 이상이 될 때까지
// 선발예정인원을 초과하여 지역인재를 합격시켜야 한다". decide_stage() is that sentence.
#include <algorithm>
#include <cstring>
#include <numeric>
#include <string>

#include "detail/paths.h"
#include "passline/decision.h"

#ifndef PASSLINE_VERSION
#define PASSLINE_VERSION "0.0.0"
#endif

namespace passline {

std::string_view engine_version() noexcept { return PASSLINE_VERSION; }

std::string_view to_string(StoppedBy s) noexcept {
  switch (s) {
    case StoppedBy::none: return "null";
    case StoppedBy::threshold: return "threshold";
    case StoppedBy::pool: return "pool";
    case StoppedBy::cap: return "cap";
  }
  return "?";
}

namespace {

using detail::path;

/// One considered applicant at one stage: its exact score in millionths and its index in the
/// unit (case order).
struct Ranked {
  std::int64_t score;
  std::uint32_t index;
};

/// Program resolution: pack ids through the registry, inline programs as given.
Result<std::vector<Program>> resolve_programs(const Case& c, const RuleRegistry& rules) {
  std::vector<Program> out;
  out.reserve(c.programs.size());
  for (std::size_t p = 0; p < c.programs.size(); ++p) {
    if (const auto* inline_program = std::get_if<Program>(&c.programs[p])) {
      out.push_back(*inline_program);
      continue;
    }
    const std::string& id = std::get<std::string>(c.programs[p]);
    if (!rules.knows(id))
      return make_error("unknown_program", path("programs", p),
                        "no rule pack '" + id + "' (see `passline rules list`)");
    const RulePack* pack = rules.find(id, c.recruitment.announced);
    if (!pack)
      return make_error("no_rule_in_force", "recruitment.announced",
                        "no version of '" + id + "' is in force on " +
                            c.recruitment.announced.to_string());
    auto program = resolve_program(*pack, c.agency, c.recruitment.announced);
    if (!program.ok()) {
      Error e = std::move(program).error();
      if (e.path.empty())
        e.path = e.code == "agency_not_covered" ? "agency.region" : "recruitment.announced";
      return e;
    }
    out.push_back(std::move(program).value());
  }
  return out;
}

bool attribute_matches(const Applicant& a, const AttributeGroup& g) {
  for (const auto& [name, value] : a.attributes)
    if (name == g.name) return value == g.equals;
  return false;
}

/// Bit p set when the applicant is in program p's group.
std::uint32_t membership(const Applicant& a, const std::vector<Program>& programs) {
  std::uint32_t mask = 0;
  for (std::size_t p = 0; p < programs.size(); ++p) {
    const bool in = std::visit(
        [&](const auto& g) {
          using G = std::decay_t<decltype(g)>;
          if constexpr (std::is_same_v<G, EducationGroup>)
            return in_education_group(a.education, g);
          else
            return attribute_matches(a, g);
        },
        programs[p].group);
    if (in) mask |= std::uint32_t{1} << p;
  }
  return mask;
}

/// SPEC §5 (Decree §30-2④): checks every claim against the data; returns the first claim, or
/// exemption_not_supported naming the first claim the data does not support.
Result<std::optional<std::string>> check_exemptions(const Case& c, std::size_t u,
                                                    const std::vector<Program>& programs,
                                                    const std::vector<std::uint32_t>& local) {
  const Unit& unit = c.units[u];
  const std::string where = path("units", u) + ".exemptions";
  for (const std::string& claim : unit.exemptions) {
    bool holds = false;
    std::string why;
    if (claim == "small_field") {
      std::int64_t hires = 0;
      for (const Unit& other : c.units)
        if (other.field == unit.field) hires += other.planned;
      for (const LedgerEntry& e : c.ledger)
        if (e.field == unit.field) hires += e.hires;
      holds = hires <= 5;
      why = "the year's hires in field '" + unit.field + "' are " + std::to_string(hires) +
            ", more than 5";
    } else if (claim == "experienced") {
      holds = unit.requires_experience;
      why = "the unit does not have requires_experience: true";
    } else if (claim == "research_masters") {
      holds = unit.min_degree && (*unit.min_degree == "masters" || *unit.min_degree == "doctorate");
      why = "the unit's min_degree is not masters or doctorate";
    } else if (claim == "regional_branch") {
      if (unit.branch_region) {
        holds = true;
        for (const Program& p : programs)
          if (const auto* g = std::get_if<EducationGroup>(&p.group))
            if (g->regions & region_bit(*unit.branch_region)) holds = false;
      }
      why = unit.branch_region ? "the branch region " + std::string(to_string(*unit.branch_region)) +
                                     " is inside a program's regions"
                               : "the unit has no branch_region";
    } else if (claim == "applicant_share") {
      holds = true;
      const auto total = static_cast<std::int64_t>(unit.applicants.size());
      for (std::size_t p = 0; p < programs.size(); ++p) {
        std::int64_t members = 0;
        for (std::uint32_t mask : local) members += (mask >> p) & 1u;
        if (!programs[p].ratio.at_most(members, total)) {
          holds = false;
          why = "program '" + programs[p].id + "' has " + std::to_string(members) +
                " group members among " + std::to_string(total) + " applicants, more than " +
                programs[p].ratio.to_string() + " of them";
          break;
        }
      }
    }
    if (!holds)
      return make_error("exemption_not_supported", where,
                        "exemption '" + claim + "' does not hold: " + why);
  }
  if (unit.exemptions.empty()) return std::optional<std::string>{};
  return std::optional<std::string>{unit.exemptions.front()};
}

/// The agency's prior hires this year (H) and those of one program's group (L), from the ledger.
std::pair<std::int64_t, std::int64_t> prior_hires(const Case& c, const std::string& program) {
  std::int64_t h = 0, l = 0;
  for (const LedgerEntry& e : c.ledger) {
    h += e.hires;
    if (auto it = e.group_hires.find(program); it != e.group_hires.end()) l += it->second;
  }
  return {h, l};
}

/// A program's target at one stage (SPEC §4 step 4).
std::int64_t program_target(const Case& c, const Unit& unit, const Program& p, bool exempt,
                            std::int64_t planned, bool last_stage) {
  if (exempt || unit.planned < p.min_planned) return 0;
  if (p.scope == Scope::agency_year && last_stage) {
    const auto [h, l] = prior_hires(c, p.id);
    return std::max<std::int64_t>(0, p.ratio.apply(h + planned, p.rounding) - l);
  }
  return p.ratio.apply(planned, p.rounding);
}

/// Decides one unit. `pool` holds the indices of applicants still in the running.
Result<UnitDecision> decide_unit(const Case& c, std::size_t u,
                                 const std::vector<Program>& programs) {
  const Unit& unit = c.units[u];
  const std::size_t n_apps = unit.applicants.size();
  const std::size_t n_stages = unit.stages.size();
  const std::size_t n_programs = programs.size();

  UnitDecision out;
  out.id = unit.id;
  out.local.resize(n_apps);
  for (std::size_t a = 0; a < n_apps; ++a) out.local[a] = membership(unit.applicants[a], programs);

  auto exempt = check_exemptions(c, u, programs, out.local);
  if (!exempt.ok()) return std::move(exempt).error();
  out.exempt = std::move(exempt).value();

  out.stages.resize(n_stages);
  out.outcomes.assign(n_apps * n_stages, StageOutcome{});
  auto outcome = [&](std::size_t a, std::size_t s) -> StageOutcome& {
    return out.outcomes[a * n_stages + s];
  };

  std::vector<std::uint32_t> pool(n_apps);
  std::iota(pool.begin(), pool.end(), 0u);
  std::vector<Ranked> ranked;
  ranked.reserve(n_apps);
  std::vector<std::uint8_t> passed(n_apps, 0);  // at the current stage
  std::vector<Ranked> candidates;                // one program's candidates at one stage
  std::vector<std::uint32_t> added_so_far;       // additional passers at the current stage

  for (std::size_t s = 0; s < n_stages; ++s) {
    const Stage& stage = unit.stages[s];
    StageResult& result = out.stages[s];
    result.name = stage.name;
    result.planned = stage.planned;
    const bool last_stage = s + 1 == n_stages;

    // 1. Disqualified: no score, or listed.
    ranked.clear();
    for (std::uint32_t a : pool) {
      const auto& score = unit.applicants[a].scores[s];
      if (!score || (unit.applicants[a].disqualified >> s) & 1u)
        outcome(a, s).outcome = Outcome::fail_disqualified;
      else
        ranked.push_back({score->units(), a});
    }
    result.considered = static_cast<std::int64_t>(ranked.size());

    // 2. Rank: the cut is the planned-th highest score; everyone at or above it passes. Only
    //    the block tied at the cut is ordered further, by applicant id (bytewise), so which of
    //    them count as `rank` and which as `tie` does not depend on input order.
    const auto planned = static_cast<std::size_t>(stage.planned);
    const auto by_score = [](const Ranked& x, const Ranked& y) { return x.score > y.score; };
    std::size_t regular = 0;  // ranked[0, regular) are the regular passers
    if (!ranked.empty() && planned > 0) {
      std::int64_t cut;
      if (ranked.size() <= planned) {
        cut = ranked.front().score;  // everyone passes; the cut is the lowest score
        for (const Ranked& r : ranked) cut = std::min(cut, r.score);
      } else {
        std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(planned - 1),
                         ranked.end(), by_score);
        cut = ranked[planned - 1].score;
      }
      // Partition: above the cut, at the cut, below the cut.
      auto above_end = std::partition(ranked.begin(), ranked.end(),
                                      [cut](const Ranked& r) { return r.score > cut; });
      auto at_end = std::partition(above_end, ranked.end(),
                                   [cut](const Ranked& r) { return r.score == cut; });
      std::sort(above_end, at_end, [&](const Ranked& x, const Ranked& y) {
        return unit.applicants[x.index].id < unit.applicants[y.index].id;
      });
      regular = static_cast<std::size_t>(at_end - ranked.begin());
      result.cut = Decimal::from_units(cut);
      for (std::size_t i = 0; i < regular; ++i) {
        const std::uint32_t a = ranked[i].index;
        outcome(a, s).outcome = i < planned ? Outcome::pass_rank : Outcome::pass_tie;
        passed[a] = 1;
      }
    }

    // 3. The threshold (합격하한선): min_score, cut − below_cut, or the higher of the two.
    const Threshold& th = stage.threshold;
    std::optional<Decimal> floor = th.min_score;
    if (th.below_cut && result.cut) {
      auto relative = checked_sub(*result.cut, *th.below_cut);
      if (!relative)
        return make_error("invalid_value", path(path("units", u) + ".stages", s) +
                              ".threshold.below_cut",
                          "below_cut is out of range");
      if (!floor || *relative > *floor) floor = relative;
    }
    result.threshold = floor;
    const bool has_threshold_rule = th.min_score || th.below_cut;

    // 4. Programs, in the case's order.
    std::int64_t total_passed = static_cast<std::int64_t>(regular);
    added_so_far.clear();
    result.programs.resize(n_programs);
    for (std::size_t p = 0; p < n_programs; ++p) {
      const Program& program = programs[p];
      ProgramStageResult& pr = result.programs[p];
      const std::uint32_t bit = std::uint32_t{1} << p;
      pr.target = program_target(c, unit, program, out.exempt.has_value(), stage.planned,
                                 last_stage);
      std::int64_t have = 0;
      for (std::size_t i = 0; i < regular; ++i)
        if (out.local[ranked[i].index] & bit) ++pr.regular;
      have = pr.regular;
      for (std::uint32_t a : added_so_far)
        if (out.local[a] & bit) ++have;
      const std::int64_t need = pr.target - have;
      if (need <= 0) continue;
      if (!has_threshold_rule)
        return make_error("threshold_missing",
                          path(path("units", u) + ".stages", s) + ".threshold",
                          "stage '" + stage.name + "' needs " + std::to_string(need) +
                              " additional passes for '" + program.id +
                              "' but announces no threshold (min_score or below_cut)");
      const std::int64_t cap =
          program.cap ? program.cap->ratio.apply(stage.planned, program.cap->rounding)
                      : std::numeric_limits<std::int64_t>::max();
      // Candidates: group members below the cut who have not passed, highest first.
      candidates.clear();
      for (std::size_t i = regular; i < ranked.size(); ++i)
        if (!passed[ranked[i].index] && (out.local[ranked[i].index] & bit))
          candidates.push_back(ranked[i]);
      std::sort(candidates.begin(), candidates.end(), by_score);
      std::int64_t added = 0;
      StoppedBy stop = StoppedBy::pool;
      std::size_t i = 0;
      while (added < need) {
        if (i == candidates.size()) {
          stop = StoppedBy::pool;
          break;
        }
        const std::int64_t score = candidates[i].score;
        if (!floor || score < floor->units()) {
          stop = StoppedBy::threshold;
          break;
        }
        // All members tied at this score go together.
        std::size_t j = i;
        while (j < candidates.size() && candidates[j].score == score) ++j;
        const auto block = static_cast<std::int64_t>(j - i);
        if (added + block > cap) {
          stop = StoppedBy::cap;
          break;
        }
        for (std::size_t k = i; k < j; ++k) {
          const std::uint32_t a = candidates[k].index;
          passed[a] = 1;
          added_so_far.push_back(a);
          outcome(a, s) = StageOutcome{Outcome::pass_additional, static_cast<std::uint8_t>(p)};
        }
        added += block;
        i = j;
      }
      pr.additional = added;
      total_passed += added;
      if (added < need) {
        pr.shortfall = need - added;
        pr.stopped_by = stop;
      }
    }
    result.passed = total_passed;

    // 5. Everyone considered who did not pass fails below the cut; passers form the next pool.
    pool.clear();
    for (const Ranked& r : ranked) {
      if (passed[r.index]) {
        pool.push_back(r.index);
        passed[r.index] = 0;
      } else {
        outcome(r.index, s).outcome = Outcome::fail_below_cut;
      }
    }
    std::sort(pool.begin(), pool.end());
  }

  out.hires = static_cast<std::int64_t>(pool.size());
  out.group_hires.assign(n_programs, 0);
  for (std::uint32_t a : pool)
    for (std::size_t p = 0; p < n_programs; ++p) out.group_hires[p] += (out.local[a] >> p) & 1u;
  return out;
}

}  // namespace

Result<Decision> decide(const Case& c, const RuleRegistry& rules) {
  if (auto ok = validate(c); !ok.ok()) return std::move(ok).error();
  auto programs = resolve_programs(c, rules);
  if (!programs.ok()) return std::move(programs).error();

  Decision d;
  d.recruitment = c.recruitment.id;
  d.programs = std::move(programs).value();
  d.units.reserve(c.units.size());
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    auto unit = decide_unit(c, u, d.programs);
    if (!unit.ok()) return std::move(unit).error();
    d.units.push_back(std::move(unit).value());
  }
  return d;
}

}  // namespace passline
