// What-if decisions (simulate.h, docs/SIMULATE.md): overrides applied to a case and its
// programs, decided through decide()'s own halves (detail/decide.h); the difference from a
// baseline; and sweeps that rank each stage once and decide every value from that ranking.
//
// The ranked decision (decide_ranked below) is SPEC §4's stage written over a ranking made in
// advance: the considered of a stage are the pool's members of the stage's ranking, in its
// order, so the cut is found by counting and the candidates of a program are read in order
// instead of sorted. Its decisions equal decide()'s bit for bit (tests/test_simulate.cc checks
// it on the conformance cases and generated ones, at every value of a sweep).
#include "passline/simulate.h"

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>
#include <set>
#include <type_traits>
#include <variant>

#include "detail/decide.h"
#include "detail/paths.h"
#include "detail/steps.h"

namespace passline {
namespace {

using detail::Ranked;

bool threshold_matches(const ThresholdOverride& t, const Unit& unit, const Stage& stage) {
  return (t.unit.empty() || t.unit == unit.id) && stage.name == t.stage;
}

void set_threshold(Threshold& th, ThresholdPart part, std::optional<Decimal> value) {
  (part == ThresholdPart::min_score ? th.min_score : th.below_cut) = value;
}

/// Replaces (or widens) the regions of every education predicate of `g`.
void override_regions(Group& g, const ProgramOverride& o) {
  std::visit(
      [&](auto& node) {
        using G = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<G, EducationGroup>) {
          if (o.regions) node.regions = *o.regions;
          node.regions |= o.bloc;
        } else if constexpr (std::is_same_v<G, AnyOfGroup>) {
          for (GroupNode& member : node.any_of) override_regions(member.group, o);
        }
      },
      g);
}

/// A ratio a program may take (SPEC §3: at most 1, below 1 with scope agency_year).
Status check_ratio(const Program& p, const Ratio& r, const std::string& source) {
  const bool one = r.numerator() == r.denominator();
  if (r.above_one() || (one && p.scope == Scope::agency_year))
    return make_error("bad_ratio", source,
                      "the ratio " + r.to_string() + " for '" + p.id + "' is over 1" +
                          (one ? " (1 with scope agency_year)" : ""));
  return {};
}

Status apply_program_override(Program& p, const ProgramOverride& o) {
  if (o.ratio) {
    if (auto ok = check_ratio(p, *o.ratio, o.source); !ok) return ok;
    p.ratio = *o.ratio;
  }
  if (o.min_planned) {
    if (*o.min_planned < 0)
      return make_error("invalid_value", o.source, "min_planned must not be negative");
    p.min_planned = *o.min_planned;
  }
  if (o.regions || o.bloc) {
    if (!std::holds_alternative<EducationGroup>(p.group) &&
        !std::holds_alternative<AnyOfGroup>(p.group))
      return make_error("invalid_value", o.source,
                        "'" + p.id + "' has an attribute group: it has no regions to change");
    override_regions(p.group, o);
  }
  return {};
}

// ---- The ranking, made once --------------------------------------------------------------

/// Sorts `v` highest score first, equal scores in their order (index ascending when built in
/// case order): an LSD radix sort over the score's bits, skipping digits every score shares.
void sort_highest_first(std::vector<Ranked>& v, std::vector<Ranked>& tmp) {
  const std::size_t n = v.size();
  if (n < 512) {
    std::stable_sort(v.begin(), v.end(), detail::HigherScore{});
    return;
  }
  constexpr int kBits = 11, kPasses = 6;
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  // Ascending keys for descending scores: the sign bit flipped orders int64 as uint64; ~ reverses.
  auto key = [](const Ranked& r) {
    return ~(static_cast<std::uint64_t>(r.score) ^ (std::uint64_t{1} << 63));
  };
  std::vector<std::array<std::uint32_t, kBuckets>> hist(kPasses);
  for (auto& h : hist) h.fill(0);
  for (const Ranked& r : v) {
    const std::uint64_t k = key(r);
    for (int p = 0; p < kPasses; ++p) ++hist[p][(k >> (p * kBits)) & (kBuckets - 1)];
  }
  tmp.resize(n);
  for (int p = 0; p < kPasses; ++p) {
    auto& h = hist[p];
    if (std::any_of(h.begin(), h.end(), [n](std::uint32_t c) { return c == n; })) continue;
    std::uint32_t sum = 0;
    for (auto& c : h) sum += std::exchange(c, sum);
    for (const Ranked& r : v) tmp[h[(key(r) >> (p * kBits)) & (kBuckets - 1)]++] = r;
    v.swap(tmp);
  }
}

/// Per unit, per stage: every applicant with a score at the stage and not disqualified from
/// it, highest first. No override changes scores, so one ranking serves every simulation.
struct Ranking {
  std::vector<std::vector<std::vector<Ranked>>> stages;  // [unit][stage]
};

Ranking rank_case(const Case& c) {
  Ranking r;
  r.stages.resize(c.units.size());
  std::vector<Ranked> tmp;
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    const Unit& unit = c.units[u];
    r.stages[u].resize(unit.stages.size());
    for (std::size_t s = 0; s < unit.stages.size(); ++s) {
      auto& list = r.stages[u][s];
      list.reserve(unit.applicants.size());
      for (std::uint32_t a = 0; a < unit.applicants.size(); ++a) {
        const Applicant& app = unit.applicants[a];
        if (s < app.scores.size() && app.scores[s] && !((app.disqualified >> s) & 1u))
          list.push_back({app.scores[s]->units(), a});
      }
      sort_highest_first(list, tmp);
    }
  }
  return r;
}

/// What a unit's decision holds before its stages: its id, group memberships and exemptions
/// (decide.cc's decide_unit, first half). `local` reused when given.
Result<UnitDecision> unit_head(const Case& c, std::size_t u, const std::vector<Program>& programs,
                               const std::vector<std::uint32_t>* local) {
  const Unit& unit = c.units[u];
  UnitDecision out;
  out.id = unit.id;
  if (local) {
    out.local = *local;
  } else {
    out.local.resize(unit.applicants.size());
    for (std::size_t a = 0; a < unit.applicants.size(); ++a)
      out.local[a] = detail::group_membership(unit.applicants[a], programs, c.spec);
  }
  if (Status s = detail::unit_exemptions(c, u, programs, out); !s.ok()) return std::move(s).error();
  return out;
}

Result<std::vector<UnitDecision>> unit_heads(const Case& c, const std::vector<Program>& programs,
                                             const std::vector<UnitDecision>* reuse_local) {
  std::vector<UnitDecision> heads;
  heads.reserve(c.units.size());
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    auto head = unit_head(c, u, programs, reuse_local ? &(*reuse_local)[u].local : nullptr);
    if (!head.ok()) return std::move(head).error();
    heads.push_back(std::move(head).value());
  }
  return heads;
}

// ---- Deciding from the ranking -----------------------------------------------------------

struct RankedWork {
  std::vector<std::uint32_t> pool, next;  ///< case order
  std::vector<std::uint8_t> in_pool, passed;
  std::vector<std::uint32_t> regular, added_so_far, block;
  std::vector<std::pair<std::int64_t, std::int64_t>> year;
};

/// SPEC §4 steps 1–5 at stage s of unit u over the stage's ranking `ranked` (decide_stage()'s
/// rule; stage.cc and additional_passes.cc say why each step is as it is).
Status decide_stage_ranked(const Case& c, std::size_t u, std::size_t s,
                           const std::vector<Program>& programs, const std::vector<Ranked>& ranked,
                           RankedWork& w, UnitDecision& out) {
  const Unit& unit = c.units[u];
  const Stage& stage = unit.stages[s];
  StageResult& result = out.stages[s];
  result.name = stage.name;
  result.planned = stage.planned;

  // Step 1: the considered.
  std::int64_t considered = 0;
  for (std::uint32_t a : w.pool) {
    const Applicant& app = unit.applicants[a];
    if (!app.scores[s] || (app.disqualified >> s) & 1u)
      detail::outcome_at(out, a, s).outcome = Outcome::fail_disqualified;
    else
      ++considered;
  }
  result.considered = considered;

  // Step 2: the cut and the regular passers.
  const auto planned = stage.planned;
  std::size_t start = 0;  // where the candidates below the cut begin in `ranked`
  w.regular.clear();
  result.cut.reset();
  if (considered > 0 && planned > 0) {
    if (detail::all_considered_pass(considered, planned)) {
      std::int64_t lowest = std::numeric_limits<std::int64_t>::max();
      for (std::uint32_t a : w.pool) {
        if (detail::outcome_at(out, a, s).outcome == Outcome::fail_disqualified) continue;
        lowest = std::min(lowest, unit.applicants[a].scores[s]->units());
        detail::outcome_at(out, a, s).outcome = Outcome::pass_rank;
        w.passed[a] = 1;
        w.regular.push_back(a);
      }
      result.cut = Decimal::from_units(lowest);
      start = ranked.size();
    } else {
      std::size_t i = 0;
      std::int64_t count = 0, cut = 0;
      for (; i < ranked.size(); ++i) {
        if (!w.in_pool[ranked[i].index]) continue;
        w.regular.push_back(ranked[i].index);
        if (++count == planned) {
          cut = ranked[i].score;
          ++i;
          break;
        }
      }
      for (; i < ranked.size() && ranked[i].score == cut; ++i)
        if (w.in_pool[ranked[i].index]) w.regular.push_back(ranked[i].index);
      start = i;
      // The block tied at the cut is ordered by applicant id (bytewise): the first of it within
      // the planned number pass `rank`, the rest `tie`.
      auto at_cut = std::find_if(w.regular.begin(), w.regular.end(), [&](std::uint32_t a) {
        return unit.applicants[a].scores[s]->units() == cut;
      });
      std::sort(at_cut, w.regular.end(), [&](std::uint32_t x, std::uint32_t y) {
        return unit.applicants[x].id < unit.applicants[y].id;
      });
      for (std::size_t k = 0; k < w.regular.size(); ++k) {
        const std::uint32_t a = w.regular[k];
        detail::outcome_at(out, a, s).outcome =
            static_cast<std::int64_t>(k) < planned ? Outcome::pass_rank : Outcome::pass_tie;
        w.passed[a] = 1;
      }
      result.cut = Decimal::from_units(cut);
    }
  }

  // Step 3: the threshold.
  auto floor = detail::stage_threshold(stage.threshold, result.cut, u, s);
  if (!floor.ok()) return std::move(floor).error();
  result.threshold = *floor;
  if (c.spec == Spec::v2 && result.threshold && result.threshold->units() < 0)
    result.threshold = Decimal::from_units(0);

  // Step 4: each program's additional passes (programs_at_stage()'s rule).
  const bool last_stage = s + 1 == unit.stages.size();
  const bool has_threshold_rule = stage.threshold.min_score || stage.threshold.below_cut;
  result.programs.assign(programs.size(), ProgramStageResult{});
  w.added_so_far.clear();
  std::int64_t total_added = 0;
  for (std::size_t p = 0; p < programs.size(); ++p) {
    const Program& program = programs[p];
    ProgramStageResult& pr = result.programs[p];
    const std::uint32_t bit = std::uint32_t{1} << p;
    const bool exempt = exempt_from(out, p);
    for (std::uint32_t a : w.regular)
      if (out.local[a] & bit) ++pr.regular;
    std::int64_t have = pr.regular;
    for (std::uint32_t a : w.added_so_far)
      if (out.local[a] & bit) ++have;
    if (c.spec == Spec::v2 && detail::target_basis(unit, program, exempt, last_stage) ==
                                  detail::TargetBasis::agency_year) {
      const auto [h, l] = w.year[p];
      const auto passers = static_cast<std::int64_t>(w.regular.size()) + total_added;
      pr.target = detail::agency_year_target(program, h, l, passers, have);
    } else if (c.spec == Spec::v2 && program.scope == Scope::agency_year) {
      pr.target = 0;
    } else {
      pr.target = detail::program_target(c, unit, program, exempt, stage.planned, last_stage);
    }
    const std::int64_t need = pr.target - have;
    if (need <= 0) continue;
    if (!has_threshold_rule)
      return make_error("threshold_missing",
                        detail::path(detail::path("units", u) + ".stages", s) + ".threshold",
                        "stage '" + stage.name + "' needs " + std::to_string(need) +
                            " additional passes for '" + program.id +
                            "' but announces no threshold (min_score or below_cut)");
    const std::int64_t cap = detail::additional_cap(program, stage.planned);
    auto member = [&](std::size_t i) {
      const std::uint32_t a = ranked[i].index;
      return w.in_pool[a] && !w.passed[a] && (out.local[a] & bit);
    };
    auto next_member = [&](std::size_t i) {
      while (i < ranked.size() && !member(i)) ++i;
      return i;
    };
    std::int64_t added = 0;
    StoppedBy stop = StoppedBy::pool;
    std::size_t i = next_member(start);
    while (added < need) {
      if (i == ranked.size()) {
        stop = StoppedBy::pool;
        break;
      }
      const std::int64_t score = ranked[i].score;
      if (!*floor || score < (*floor)->units()) {
        stop = StoppedBy::threshold;
        break;
      }
      // All members tied at this score go together.
      w.block.clear();
      std::size_t j = i;
      for (; j < ranked.size() && ranked[j].score == score; ++j)
        if (member(j)) w.block.push_back(ranked[j].index);
      const auto size = static_cast<std::int64_t>(w.block.size());
      if (added + size > cap) {
        stop = StoppedBy::cap;
        break;
      }
      for (std::uint32_t a : w.block) {
        w.passed[a] = 1;
        w.added_so_far.push_back(a);
        detail::outcome_at(out, a, s) =
            StageOutcome{Outcome::pass_additional, static_cast<std::uint8_t>(p)};
      }
      added += size;
      i = next_member(j);
    }
    pr.additional = added;
    total_added += added;
    if (added < need) {
      pr.shortfall = need - added;
      pr.stopped_by = stop;
    }
  }
  result.passed = static_cast<std::int64_t>(w.regular.size()) + total_added;

  // Step 5: the rest fail below the cut; the passers are the next pool (still in case order).
  w.next.clear();
  for (std::uint32_t a : w.pool) {
    if (w.passed[a]) {
      w.next.push_back(a);
      w.passed[a] = 0;
    } else {
      w.in_pool[a] = 0;
      StageOutcome& o = detail::outcome_at(out, a, s);
      if (o.outcome == Outcome::not_reached) o.outcome = Outcome::fail_below_cut;
    }
  }
  w.pool.swap(w.next);
  return {};
}

/// decide_with_programs() over the ranking, from unit heads made by unit_heads().
Result<Decision> decide_ranked(const Case& c, const std::vector<Program>& programs,
                               const Ranking& ranking, const std::vector<UnitDecision>& heads) {
  Decision d;
  d.spec = c.spec;
  d.recruitment = c.recruitment.id;
  d.programs = programs;
  d.units.reserve(c.units.size());
  RankedWork w;
  w.year = c.spec == Spec::v2 ? detail::ledger_year(c, programs)
                              : std::vector<std::pair<std::int64_t, std::int64_t>>{};
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    const Unit& unit = c.units[u];
    const std::size_t n_apps = unit.applicants.size();
    UnitDecision out = heads[u];
    out.stages.resize(unit.stages.size());
    out.outcomes.assign(n_apps * unit.stages.size(), StageOutcome{});
    w.pool.resize(n_apps);
    std::iota(w.pool.begin(), w.pool.end(), 0u);
    w.in_pool.assign(n_apps, 1);
    w.passed.assign(n_apps, 0);
    for (std::size_t s = 0; s < unit.stages.size(); ++s)
      if (auto ok = decide_stage_ranked(c, u, s, programs, ranking.stages[u][s], w, out); !ok)
        return std::move(ok).error();
    out.hires = static_cast<std::int64_t>(w.pool.size());
    out.group_hires.assign(programs.size(), 0);
    for (std::uint32_t a : w.pool)
      for (std::size_t p = 0; p < programs.size(); ++p)
        out.group_hires[p] += (out.local[a] >> p) & 1u;
    d.units.push_back(std::move(out));
    if (c.spec != Spec::v2) continue;
    const UnitDecision& ud = d.units.back();
    for (std::size_t p = 0; p < programs.size(); ++p)
      if (program_applies(unit, ud, p, programs[p])) {
        w.year[p].first += ud.hires;
        w.year[p].second += ud.group_hires[p];
      }
  }
  return d;
}

// ---- Figures -----------------------------------------------------------------------------

/// g / o as a percentage with two decimals, rounded down; `-` when o is 0.
std::string percent_text(std::int64_t g, std::int64_t o) {
  if (o <= 0) return "-";
  // Counts are far below 2^40, so 10000 × g does not overflow.
  const std::int64_t hundredths = g * 10000 / o;
  std::string frac = std::to_string(hundredths % 100);
  if (frac.size() < 2) frac.insert(0, "0");
  return std::to_string(hundredths / 100) + "." + frac;
}

bool hired(const UnitDecision& ud, std::size_t a) {
  return !ud.stages.empty() && is_pass(ud.outcome(a, ud.stages.size() - 1).outcome);
}

std::optional<std::size_t> program_index(const Decision& d, const std::string& id) {
  for (std::size_t p = 0; p < d.programs.size(); ++p)
    if (d.programs[p].id == id) return p;
  return std::nullopt;
}

/// Added and dropped hires of unit `sim` against `base` (the same unit of the same case).
std::pair<std::int64_t, std::int64_t> hire_changes(const UnitDecision& base,
                                                   const UnitDecision& sim) {
  std::int64_t added = 0, dropped = 0;
  const std::size_t n = std::min(base.local.size(), sim.local.size());
  for (std::size_t a = 0; a < n; ++a) {
    const bool b = hired(base, a), s = hired(sim, a);
    added += s && !b;
    dropped += b && !s;
  }
  return {added, dropped};
}

}  // namespace

Result<Case> apply_case_overrides(const Case& c, const Overrides& o) {
  Case out = c;
  for (const ThresholdOverride& t : o.thresholds) {
    if (!t.unit.empty() &&
        std::none_of(c.units.begin(), c.units.end(), [&](const Unit& u) { return u.id == t.unit; }))
      return make_error("invalid_value", t.source, "the case has no unit '" + t.unit + "'");
    bool found = false;
    for (Unit& unit : out.units)
      for (Stage& stage : unit.stages)
        if (threshold_matches(t, unit, stage)) {
          set_threshold(stage.threshold, t.part, t.value);
          found = true;
        }
    if (!found)
      return make_error("unknown_stage", t.source,
                        "no unit" + (t.unit.empty() ? std::string() : " '" + t.unit + "'") +
                            " has a stage named '" + t.stage + "'");
  }
  if (o.announced) out.recruitment.announced = *o.announced;
  for (const std::string& id : o.add_programs) {
    for (const ProgramRef& ref : out.programs) {
      const std::string& have = std::holds_alternative<std::string>(ref)
                                    ? std::get<std::string>(ref)
                                    : std::get<Program>(ref).id;
      if (have == id)
        return make_error("duplicate_program", "programs", "the case names '" + id + "' already");
    }
    out.programs.emplace_back(id);
  }
  return out;
}

Result<RuleRegistry> apply_edition_overrides(const RuleRegistry& rules, const Overrides& o) {
  if (o.editions.empty()) return rules;
  for (const auto& [id, version] : o.editions) {
    bool known = false, found = false;
    for (const RulePack& p : rules.all())
      if (p.id == id) {
        known = true;
        found = found || p.version == version;
      }
    if (!known) return make_error("unknown_pack", id, "no rule pack '" + id + "'");
    if (!found)
      return make_error("invalid_value", id + "@" + version,
                        "rule pack '" + id + "' has no version '" + version +
                            "' (see `passline rules show " + id + "`)");
  }
  RuleRegistry out;
  out.set_regions(rules.regions());
  for (const RulePack& p : rules.all()) {
    auto chosen = std::find_if(o.editions.begin(), o.editions.end(),
                               [&](const auto& e) { return e.first == p.id; });
    if (chosen == o.editions.end()) {
      if (auto ok = out.add(p); !ok) return std::move(ok).error();
      continue;
    }
    if (p.version != chosen->second) continue;
    RulePack edition = p;  // in force on every date; its ratio periods still say from when
    edition.effective_from = Date{1, 1, 1};
    edition.effective_until.reset();
    if (auto ok = out.add(std::move(edition)); !ok) return std::move(ok).error();
  }
  return out;
}

Result<std::vector<Program>> simulated_programs(const Case& c, const RuleRegistry& rules,
                                                const Overrides& o) {
  auto resolved = detail::case_programs(c, rules);
  if (!resolved.ok()) return std::move(resolved).error();
  std::vector<Program> programs = std::move(resolved).value();
  for (const std::string& id : o.drop_programs) {
    auto it = std::find_if(programs.begin(), programs.end(),
                           [&](const Program& p) { return p.id == id; });
    if (it == programs.end())
      return make_error("unknown_program", "without " + id,
                        "'" + id + "' is not in force for this recruitment");
    programs.erase(it);
  }
  for (const ProgramOverride& po : o.programs) {
    auto it = std::find_if(programs.begin(), programs.end(),
                           [&](const Program& p) { return p.id == po.program; });
    if (it == programs.end())
      return make_error("unknown_program", po.source,
                        "'" + po.program + "' is not in force for this recruitment");
    if (auto ok = apply_program_override(*it, po); !ok) return std::move(ok).error();
  }
  return programs;
}

Result<Simulated> simulate(const Case& c, const RuleRegistry& rules, const Overrides& o) {
  auto changed = apply_case_overrides(c, o);
  if (!changed.ok()) return std::move(changed).error();
  auto registry = apply_edition_overrides(rules, o);
  if (!registry.ok()) return std::move(registry).error();
  auto programs = simulated_programs(*changed, *registry, o);
  if (!programs.ok()) return std::move(programs).error();
  auto decision = detail::decide_with_programs(*changed, std::move(programs).value());
  if (!decision.ok()) return std::move(decision).error();
  return Simulated{std::move(changed).value(), std::move(decision).value()};
}

std::vector<ProgramTotals> program_totals(const Case& c, const Decision& d) {
  std::vector<ProgramTotals> out(d.programs.size());
  for (std::size_t p = 0; p < d.programs.size(); ++p) {
    const Program& program = d.programs[p];
    ProgramTotals& t = out[p];
    t.ratio = program.ratio.to_string();
    for (std::size_t u = 0; u < d.units.size() && u < c.units.size(); ++u) {
      const UnitDecision& ud = d.units[u];
      if (program_applies(c.units[u], ud, p, program)) {
        t.obligated += ud.hires;
        t.group_hires += ud.group_hires[p];
      }
      for (const StageResult& sr : ud.stages)
        if (p < sr.programs.size()) t.shortfall += sr.programs[p].shortfall;
    }
    t.year_obligated = t.obligated;
    t.year_group_hires = t.group_hires;
    for (const LedgerEntry& e : c.ledger) {
      if (c.spec == Spec::v2) {
        if (auto it = e.obligated.find(program.id); it != e.obligated.end())
          t.year_obligated += it->second;
      } else {
        t.year_obligated += e.hires;
      }
      if (auto it = e.group_hires.find(program.id); it != e.group_hires.end())
        t.year_group_hires += it->second;
    }
    if (t.year_obligated > 0) t.met = program.ratio.at_least(t.year_group_hires, t.year_obligated);
    t.rate = percent_text(t.year_group_hires, t.year_obligated);
  }
  return out;
}

SimulationDiff diff(const Case& base_case, const Decision& base, const Case& sim_case,
                    const Decision& sim) {
  SimulationDiff out;
  out.recruitment = base.recruitment;
  // The programs of both sides, the baseline's first.
  std::vector<std::string> ids;
  for (const Program& p : base.programs) ids.push_back(p.id);
  for (const Program& p : sim.programs)
    if (!program_index(base, p.id)) ids.push_back(p.id);
  const auto base_totals = program_totals(base_case, base);
  const auto sim_totals = program_totals(sim_case, sim);
  for (const std::string& id : ids) {
    ProgramDiff pd;
    pd.program = id;
    if (auto b = program_index(base, id)) pd.base = base_totals[*b];
    if (auto s = program_index(sim, id)) pd.sim = sim_totals[*s];
    out.programs.push_back(std::move(pd));
  }
  for (std::size_t u = 0; u < base.units.size(); ++u) {
    const UnitDecision& bu = base.units[u];
    auto su_it = std::find_if(sim.units.begin(), sim.units.end(),
                              [&](const UnitDecision& x) { return x.id == bu.id; });
    if (su_it == sim.units.end() || u >= base_case.units.size()) continue;
    const UnitDecision& su = *su_it;
    const Unit& unit = base_case.units[u];
    UnitDiff ud;
    ud.id = bu.id;
    ud.base_hires = bu.hires;
    ud.sim_hires = su.hires;
    const std::size_t n = std::min(bu.local.size(), su.local.size());
    const std::size_t n_stages = std::min(bu.stages.size(), su.stages.size());
    for (std::size_t a = 0; a < n; ++a) {
      const bool b = hired(bu, a), s = hired(su, a);
      if (s && !b) ud.added.push_back(unit.applicants[a].id);
      if (b && !s) ud.dropped.push_back(unit.applicants[a].id);
      for (std::size_t st = 0; st < n_stages; ++st)
        if (is_pass(bu.outcome(a, st).outcome) != is_pass(su.outcome(a, st).outcome)) {
          ++ud.changed_outcomes;
          break;
        }
    }
    for (std::size_t st = 0; st < n_stages; ++st) {
      const StageResult& bs = bu.stages[st];
      const StageResult& ss = su.stages[st];
      StageDiff sd;
      sd.name = bs.name;
      sd.planned = bs.planned;
      sd.base_threshold = bs.threshold;
      sd.sim_threshold = ss.threshold;
      sd.base_cut = bs.cut;
      sd.sim_cut = ss.cut;
      sd.base_passed = bs.passed;
      sd.sim_passed = ss.passed;
      for (const std::string& id : ids) {
        ProgramStageDiff pd;
        pd.program = id;
        if (auto b = program_index(base, id); b && *b < bs.programs.size())
          pd.base = bs.programs[*b];
        if (auto s = program_index(sim, id); s && *s < ss.programs.size()) pd.sim = ss.programs[*s];
        sd.programs.push_back(std::move(pd));
      }
      ud.stages.push_back(std::move(sd));
    }
    out.added += static_cast<std::int64_t>(ud.added.size());
    out.dropped += static_cast<std::int64_t>(ud.dropped.size());
    out.units.push_back(std::move(ud));
  }
  return out;
}

Result<std::vector<Decimal>> sweep_values(Decimal from, Decimal to, Decimal step,
                                          const std::string& source, std::size_t max_points) {
  if (step.units() <= 0)
    return make_error("invalid_value", source, "the sweep's STEP must be above 0");
  if (from > to)
    return make_error("invalid_value", source, "the sweep's FROM must not be above its TO");
  // (to − from) / step + 1 values, counted without overflow.
  const auto span =
      static_cast<unsigned long long>(to.units()) - static_cast<unsigned long long>(from.units());
  const unsigned long long count = span / static_cast<unsigned long long>(step.units()) + 1;
  if (count > max_points)
    return make_error("invalid_value", source,
                      "the sweep has " + std::to_string(count) + " values, more than " +
                          std::to_string(max_points) + ": widen STEP");
  std::vector<Decimal> out;
  out.reserve(count);
  for (unsigned long long k = 0; k < count; ++k)
    out.push_back(Decimal::from_units(from.units() + static_cast<std::int64_t>(k) * step.units()));
  return out;
}

Result<Sweep> sweep(const Case& c, const RuleRegistry& rules, const Overrides& base,
                    const SweepParam& param, const std::vector<Decimal>& values,
                    const SweepOptions& options) {
  using Kind = SweepParam::Kind;
  const bool threshold_kind = param.kind == Kind::min_score || param.kind == Kind::below_cut;
  auto baseline = simulate(c, rules, base);
  if (!baseline.ok()) return std::move(baseline).error();
  Sweep out;
  out.baseline = std::move(baseline).value();
  const Case& base_case = out.baseline.input;
  const Decision& base_decision = out.baseline.decision;

  // What the parameter names, checked once.
  std::optional<std::size_t> program;
  if (threshold_kind) {
    ThresholdOverride probe{param.unit, param.stage, ThresholdPart::min_score, std::nullopt,
                            param.source};
    if (auto ok = apply_case_overrides(base_case, Overrides{{probe}, {}, {}, {}, {}, {}}); !ok.ok())
      return std::move(ok).error();
  } else {
    program = program_index(base_decision, param.program);
    if (!program)
      return make_error("unknown_program", param.source,
                        "'" + param.program + "' is not in force for this recruitment");
  }
  for (const Decimal& v : values) {
    if (param.kind == Kind::ratio) {
      auto r = Ratio::parse(v.to_string());
      if (!r) return make_error("bad_ratio", param.source, "not a ratio: " + v.to_string());
      if (auto ok = check_ratio(base_decision.programs[*program], *r, param.source); !ok)
        return std::move(ok).error();
    } else if (param.kind == Kind::min_planned) {
      if (v.units() < 0 || v.units() % Decimal::kScale != 0)
        return make_error("invalid_value", param.source,
                          "min_planned must be a whole number of hires, not " + v.to_string());
    }
  }

  // The ranking, the memberships and (for a threshold) the exemptions, once.
  const Ranking ranking = rank_case(base_case);
  std::vector<UnitDecision> heads;
  heads.reserve(base_decision.units.size());
  for (const UnitDecision& ud : base_decision.units) {
    UnitDecision h;
    h.id = ud.id;
    h.exempt = ud.exempt;
    h.exempt_from = ud.exempt_from;
    h.local = ud.local;
    heads.push_back(std::move(h));
  }
  Case work = base_case;  // thresholds set in place, value by value
  std::vector<Program> programs = base_decision.programs;
  const std::size_t n_programs = base_decision.programs.size();

  out.points.reserve(values.size());
  for (const Decimal& v : values) {
    SweepPoint point;
    point.value = v;
    auto decide_point = [&]() -> Result<Decision> {
      if (threshold_kind) {
        const ThresholdPart part =
            param.kind == Kind::min_score ? ThresholdPart::min_score : ThresholdPart::below_cut;
        for (Unit& unit : work.units)
          for (Stage& stage : unit.stages)
            if ((param.unit.empty() || param.unit == unit.id) && stage.name == param.stage)
              set_threshold(stage.threshold, part, v);
        return decide_ranked(work, programs, ranking, heads);
      }
      programs = base_decision.programs;
      Program& p = programs[*program];
      if (param.kind == Kind::ratio)
        p.ratio = *Ratio::parse(v.to_string());
      else
        p.min_planned = v.units() / Decimal::kScale;
      auto point_heads = unit_heads(work, programs, &heads);
      if (!point_heads.ok()) return std::move(point_heads).error();
      return decide_ranked(work, programs, ranking, *point_heads);
    };
    auto decided = decide_point();
    if (!decided.ok()) {
      point.error = std::move(decided).error();
      out.points.push_back(std::move(point));
      continue;
    }
    const Decision& d = *decided;
    point.programs = program_totals(work, d);
    for (std::size_t u = 0; u < d.units.size(); ++u) {
      point.hires += d.units[u].hires;
      const auto [added, dropped] = hire_changes(base_decision.units[u], d.units[u]);
      point.added += added;
      point.dropped += dropped;
      for (const StageResult& sr : d.units[u].stages)
        for (std::size_t p = 0; p < n_programs; ++p)
          point.shortfalls.push_back(p < sr.programs.size() ? sr.programs[p].shortfall : 0);
    }
    if (options.keep_decisions) point.decision = std::move(decided).value();
    out.points.push_back(std::move(point));
  }
  return out;
}

}  // namespace passline
