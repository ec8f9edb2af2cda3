// Deciding a case: programs, exemptions and stages (SPEC.md §3–5).
//
// Decree §30-2② (혁신도시법 시행령): "지역인재가 채용시험의 실시단계별로 선발예정인원 대비 별표 1의
// 비율 이상이 되도록 합격시켜야 한다 ... 미달하는 경우에는 해당 비율 이상이 될 때까지
// 선발예정인원을 초과하여 지역인재를 합격시켜야 한다". decide_stage() is that sentence.
//
// This file is the orchestration: resolve the programs, then decide each unit through the steps
// named in detail/steps.h (group.cc, exemption.cc, stage.cc, target.cc, additional_passes.cc).
#include <algorithm>
#include <cstring>
#include <numeric>
#include <string>

#include "detail/decide.h"
#include "detail/law.h"
#include "detail/paths.h"
#include "detail/steps.h"
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

/// Decides one unit (SPEC §4–5): group membership, exemptions (Decree §30-2④), then each stage
/// in order (decide_stage(), Decree §30-2②), the pool of a stage being the passers of the one
/// before; last, the hires and their group members.
Result<UnitDecision> decide_unit(const Case& c, std::size_t u, const std::vector<Program>& programs,
                                 const std::vector<std::pair<std::int64_t, std::int64_t>>& year) {
  const Unit& unit = c.units[u];
  const std::size_t n_apps = unit.applicants.size();
  const std::size_t n_stages = unit.stages.size();

  UnitDecision out;
  out.id = unit.id;
  out.local.resize(n_apps);
  for (std::size_t a = 0; a < n_apps; ++a)
    out.local[a] = detail::group_membership(unit.applicants[a], programs, c.spec);

  if (Status s = detail::unit_exemptions(c, u, programs, out); !s.ok()) return std::move(s).error();

  out.stages.resize(n_stages);
  out.outcomes.assign(n_apps * n_stages, StageOutcome{});
  detail::StageWork w;
  w.pool.resize(n_apps);
  std::iota(w.pool.begin(), w.pool.end(), 0u);
  w.ranked.reserve(n_apps);
  w.passed.assign(n_apps, 0);
  w.year = year;
  for (std::size_t s = 0; s < n_stages; ++s)
    if (auto ok = detail::decide_stage(c, u, s, programs, w, out); !ok)
      return std::move(ok).error();

  out.hires = static_cast<std::int64_t>(w.pool.size());
  out.group_hires.assign(programs.size(), 0);
  for (std::uint32_t a : w.pool)
    for (std::size_t p = 0; p < programs.size(); ++p)
      out.group_hires[p] += (out.local[a] >> p) & 1u;
  return out;
}

}  // namespace

namespace detail {

Status unit_exemptions(const Case& c, std::size_t u, const std::vector<Program>& programs,
                       UnitDecision& out) {
  if (c.spec == Spec::v2) {
    auto exempt = check_exemptions_v2(c, u, programs, out.local);
    if (!exempt.ok()) return std::move(exempt).error();
    out.exempt_from = std::move(exempt).value();
  } else {
    auto exempt = check_exemptions(c, u, programs, out.local);
    if (!exempt.ok()) return std::move(exempt).error();
    out.exempt = std::move(exempt).value();
  }
  return {};
}

/// quota-case/2, SPEC §4 step 4: per program, the ledger's obligated hires (H) and group hires
/// (L) for the year.
std::vector<std::pair<std::int64_t, std::int64_t>> ledger_year(
    const Case& c, const std::vector<Program>& programs) {
  std::vector<std::pair<std::int64_t, std::int64_t>> year(programs.size());
  for (std::size_t p = 0; p < programs.size(); ++p)
    for (const LedgerEntry& e : c.ledger) {
      if (auto it = e.obligated.find(programs[p].id); it != e.obligated.end())
        year[p].first += it->second;
      if (auto it = e.group_hires.find(programs[p].id); it != e.group_hires.end())
        year[p].second += it->second;
    }
  return year;
}

Result<std::vector<Program>> case_programs(const Case& c, const RuleRegistry& rules) {
  if (auto ok = validate(c); !ok.ok()) return std::move(ok).error();
  if (c.spec == Spec::v2)
    if (auto ok = detail::check_agency_facts(c, rules.regions()); !ok.ok())
      return std::move(ok).error();
  return c.spec == Spec::v2 ? detail::programs_in_force(c, rules) : resolve_programs(c, rules);
}

Result<Decision> decide_with_programs(const Case& c, std::vector<Program> programs) {
  Decision d;
  d.spec = c.spec;
  d.recruitment = c.recruitment.id;
  d.programs = std::move(programs);
  d.units.reserve(c.units.size());
  // SPEC §4 step 4 (quota-case/2): the year so far, the ledger plus this case's earlier units.
  auto year = c.spec == Spec::v2 ? ledger_year(c, d.programs)
                                 : std::vector<std::pair<std::int64_t, std::int64_t>>{};
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    auto unit = decide_unit(c, u, d.programs, year);
    if (!unit.ok()) return std::move(unit).error();
    d.units.push_back(std::move(unit).value());
    if (c.spec != Spec::v2) continue;
    const UnitDecision& ud = d.units.back();
    for (std::size_t p = 0; p < d.programs.size(); ++p)
      if (program_applies(c.units[u], ud, p, d.programs[p])) {
        year[p].first += ud.hires;
        year[p].second += ud.group_hires[p];
      }
  }
  return d;
}

}  // namespace detail

Result<Decision> decide(const Case& c, const RuleRegistry& rules) {
  auto programs = detail::case_programs(c, rules);
  if (!programs.ok()) return std::move(programs).error();
  return detail::decide_with_programs(c, std::move(programs).value());
}

}  // namespace passline
