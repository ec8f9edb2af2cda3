// The annual report's rows: each agency's compliance with each program over a year.
#include "passline/app/compliance.h"

#include <map>
#include <set>

namespace passline::app {

std::vector<DecidedRecruitment> counted(std::vector<DecidedRecruitment> decided) {
  std::set<std::string> replaced;  // by a decided correction
  for (const DecidedRecruitment& r : decided)
    if (r.info.supersedes) replaced.insert(*r.info.supersedes);
  std::vector<DecidedRecruitment> out;
  out.reserve(decided.size());
  for (DecidedRecruitment& r : decided)
    if (!replaced.count(r.info.id)) out.push_back(std::move(r));
  return out;
}

namespace {

struct AgencyTotals {
  std::set<std::string> recruitments;
  std::int64_t units = 0;
  std::map<std::string, std::int64_t> exempt;  // reason → units
};

using Key = std::pair<std::string, std::string>;  // (agency, program)

struct ProgramTotals {
  ComplianceRow row;
  Ratio ratio;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> shortfalls;
};

void add_recruitment(const DecidedRecruitment& r, std::map<std::string, AgencyTotals>& agencies,
                     std::map<Key, ProgramTotals>& programs) {
  const std::string& agency = r.info.agency;
  AgencyTotals& a = agencies[agency];
  a.recruitments.insert(r.info.id);
  for (const DecidedUnit& u : r.units) {
    ++a.units;
    if (u.exempt) ++a.exempt[*u.exempt];
  }
  for (std::size_t p = 0; p < r.programs.size(); ++p) {
    ProgramTotals& t = programs[{agency, r.programs[p].id}];
    t.row.agency = agency;
    t.row.program = r.programs[p].id;
    t.ratio = r.programs[p].ratio;  // in announcement order: the latest one stays
    for (const DecidedUnit& u : r.units) {
      if (p >= u.applies.size() || !u.applies[p]) continue;
      t.row.obligated += u.hires;
      t.row.group_hires += u.group_hires[p];
    }
  }
  for (const DecidedShortfall& s : r.shortfalls) {
    if (s.program >= r.programs.size()) continue;
    auto& [stages, missing] = programs[{agency, r.programs[s.program].id}]
                                  .shortfalls[std::string(to_string(s.stopped_by))];
    ++stages;
    missing += s.shortfall;
  }
}

}  // namespace

std::vector<ComplianceRow> compliance_rows(const std::vector<DecidedRecruitment>& decided) {
  std::map<std::string, AgencyTotals> agencies;
  std::map<Key, ProgramTotals> programs;
  for (const DecidedRecruitment& r : decided) add_recruitment(r, agencies, programs);
  std::vector<ComplianceRow> out;
  out.reserve(programs.size());
  for (auto& [key, t] : programs) {
    ComplianceRow& row = t.row;
    const AgencyTotals& a = agencies[row.agency];
    row.ratio = t.ratio.to_string();
    row.recruitments = static_cast<std::int64_t>(a.recruitments.size());
    row.units = a.units;
    for (const auto& [reason, n] : a.exempt) row.exempt_units.emplace_back(reason, n);
    for (const auto& [reason, s] : t.shortfalls) row.shortfalls.emplace_back(reason, s);
    row.met = t.ratio.at_least(row.group_hires, row.obligated);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace passline::app
