// An agency's yearly ledger and how decisions change it.
#include "passline/app/ledger.h"

#include <map>
#include <utility>

namespace passline::app {
namespace {

using ByField = std::map<std::string, LedgerEntry>;

Ledger to_ledger(ByField&& by_field) {
  Ledger out;
  out.reserve(by_field.size());
  for (auto& [field, e] : by_field) out.push_back(std::move(e));
  return out;
}

LedgerEntry& entry(ByField& by_field, const std::string& field) {
  LedgerEntry& e = by_field[field];
  e.field = field;
  return e;
}

}  // namespace

std::vector<std::vector<std::uint8_t>> applies(const Case& c, const Decision& d) {
  std::vector<std::vector<std::uint8_t>> out(d.units.size());
  for (std::size_t u = 0; u < d.units.size(); ++u)
    for (std::size_t p = 0; p < d.programs.size(); ++p)
      out[u].push_back(program_applies(c.units[u], d.units[u], p, d.programs[p]) ? 1 : 0);
  return out;
}

DecidedRecruitment decided_facts(const Case& c, const Decision& d,
                                 const std::vector<std::vector<std::uint8_t>>& bound,
                                 RecruitmentInfo info) {
  DecidedRecruitment out;
  out.info = std::move(info);
  for (const Program& p : d.programs) out.programs.push_back({p.id, p.ratio});
  for (std::size_t u = 0; u < d.units.size(); ++u) {
    const UnitDecision& ud = d.units[u];
    out.units.push_back({ud.id, c.units[u].field, ud.exempt, ud.hires, bound[u], ud.group_hires,
                         ud.exempt_from, c.units[u].planned});
    for (const StageResult& s : ud.stages)
      for (std::size_t p = 0; p < s.programs.size(); ++p)
        if (s.programs[p].shortfall > 0)
          out.shortfalls.push_back({p, s.programs[p].stopped_by, s.programs[p].shortfall});
  }
  return out;
}

Ledger contribution(const Case& c, const Decision& d) {
  ByField by_field;
  for (std::size_t u = 0; u < d.units.size(); ++u) {
    const UnitDecision& ud = d.units[u];
    LedgerEntry& e = entry(by_field, c.units[u].field);
    e.hires += ud.hires;
    e.posts += c.units[u].planned;
    for (std::size_t p = 0; p < d.programs.size(); ++p) {
      e.group_hires[d.programs[p].id] += p < ud.group_hires.size() ? ud.group_hires[p] : 0;
      // SPEC §7: hires of units the program applied to (in force, not exempt, min_planned).
      if (program_applies(c.units[u], ud, p, d.programs[p]))
        e.obligated[d.programs[p].id] += ud.hires;
    }
  }
  return to_ledger(std::move(by_field));
}

Ledger contribution(const DecidedRecruitment& r) {
  ByField by_field;
  for (const DecidedUnit& u : r.units) {
    LedgerEntry& e = entry(by_field, u.field);
    e.hires += u.hires;
    e.posts += u.planned;
    for (std::size_t p = 0; p < r.programs.size(); ++p) {
      e.group_hires[r.programs[p].id] += p < u.group_hires.size() ? u.group_hires[p] : 0;
      if (p < u.applies.size() && u.applies[p]) e.obligated[r.programs[p].id] += u.hires;
    }
  }
  return to_ledger(std::move(by_field));
}

Ledger add(const Ledger& ledger, const Ledger& delta, std::int64_t sign) {
  ByField by_field;
  for (const LedgerEntry& e : ledger) {
    LedgerEntry& out = entry(by_field, e.field);
    out.hires += e.hires;
    out.posts += e.posts;
    for (const auto& [program, n] : e.group_hires) out.group_hires[program] += n;
    for (const auto& [program, n] : e.obligated) out.obligated[program] += n;
  }
  for (const LedgerEntry& e : delta) {
    LedgerEntry& out = entry(by_field, e.field);
    out.hires += sign * e.hires;
    out.posts += sign * e.posts;
    for (const auto& [program, n] : e.group_hires) out.group_hires[program] += sign * n;
    for (const auto& [program, n] : e.obligated) out.obligated[program] += sign * n;
  }
  return to_ledger(std::move(by_field));
}

}  // namespace passline::app
