// The annual report (SPEC §7): each agency's compliance with each program over a year, the
// agencies with no obligated hiring apart with their reasons, and the totals per region and
// national.
#include "passline/app/compliance.h"

#include <map>
#include <set>
#include <tuple>

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

constexpr const char* kMinPlanned = "min_planned";
constexpr const char* kNoHires = "no_hires";
constexpr const char* kNotBound = "not_bound";

using Shortfalls = std::map<std::string, std::pair<std::int64_t, std::int64_t>>;

/// The claim that exempts `u` from program `p`: quota-case/2's per-program claim when the store
/// kept it, else quota-case/1's one claim (which exempts the unit from every program).
const std::optional<std::string>& claim_for(const DecidedUnit& u, std::size_t p) {
  return p < u.exempt_from.size() ? u.exempt_from[p] : u.exempt;
}

/// True when recruitment (announced, id) is later than the one `f`'s ratio was taken from.
bool later(const ProgramFigures& f, const RecruitmentInfo& r) {
  return std::tie(r.announced, r.id) >= std::tie(f.ratio_announced, f.ratio_recruitment);
}

template <typename Map>
auto as_vector(const Map& m) {
  return std::vector<std::pair<typename Map::key_type, typename Map::mapped_type>>(m.begin(),
                                                                                   m.end());
}

/// Totals being summed: one program over one set of agencies.
struct Sum {
  ComplianceTotals totals;
  std::map<std::string, std::int64_t> reasons;
  Shortfalls shortfalls;

  void add(const ComplianceRow& row) {
    ++totals.agencies;
    totals.obligated += row.obligated;
    totals.group_hires += row.group_hires;
    if (row.obligated > 0) {
      ++totals.agencies_obligated;
      if (row.met.value_or(false)) ++totals.agencies_met;
    } else {
      ++totals.agencies_not_obligated;
      for (const auto& [reason, units] : row.no_obligation) ++reasons[reason];
    }
    for (const auto& [cause, s] : row.shortfalls) {
      shortfalls[cause].first += s.first;
      shortfalls[cause].second += s.second;
    }
  }

  void add(const AgencyWithoutRow& a) {
    ++totals.agencies;
    ++totals.agencies_not_obligated;
    ++reasons[a.reason];
  }

  ComplianceTotals done() {
    totals.no_obligation = as_vector(reasons);
    totals.shortfalls = as_vector(shortfalls);
    return std::move(totals);
  }
};

/// Regions in SPEC §2 order, an unknown region last.
int region_order(const std::optional<Region>& r) { return r ? static_cast<int>(*r) : 1 << 16; }

void add_totals(ComplianceReport& report) {
  std::set<std::string> programs;
  for (const ComplianceRow& row : report.rows) programs.insert(row.program);
  for (const std::string& program : programs) {
    Sum national;
    national.totals.program = program;
    std::map<int, Sum> regions;
    auto region = [&](const std::optional<Region>& r) -> Sum& {
      Sum& s = regions[region_order(r)];
      s.totals.program = program;
      s.totals.region = r;
      return s;
    };
    for (const ComplianceRow& row : report.rows) {
      if (row.program != program) continue;
      national.add(row);
      region(row.region).add(row);
    }
    for (const AgencyWithoutRow& a : report.without_row) {
      national.add(a);
      region(a.region).add(a);
    }
    report.national.push_back(national.done());
    for (auto& [order, sum] : regions) report.regions.push_back(sum.done());
  }
}

}  // namespace

void add_figures(YearFigures& figures, const DecidedRecruitment& r) {
  ++figures.recruitments;
  figures.units += static_cast<std::int64_t>(r.units.size());
  for (std::size_t p = 0; p < r.programs.size(); ++p) {
    ProgramFigures& t = figures.programs[r.programs[p].id];
    if (later(t, r.info)) {  // the latest recruitment's ratio stays
      t.ratio = r.programs[p].ratio;
      t.ratio_announced = r.info.announced;
      t.ratio_recruitment = r.info.id;
    }
    for (const DecidedUnit& u : r.units) {
      if (p < u.applies.size() && u.applies[p]) {
        t.obligated += u.hires;
        t.group_hires += u.group_hires[p];
        if (u.hires == 0) ++t.no_hires;
      } else if (const auto& claim = claim_for(u, p)) {
        ++t.exempt[*claim];
      } else if (p < u.exempt_from.size()) {  // the store kept the claims: none held
        ++t.min_planned;
      } else {
        ++t.not_bound;
      }
    }
  }
  for (const DecidedShortfall& s : r.shortfalls) {
    if (s.program >= r.programs.size()) continue;
    auto& [stages, missing] =
        figures.programs[r.programs[s.program].id].shortfalls[std::string(to_string(s.stopped_by))];
    ++stages;
    missing += s.shortfall;
  }
}

YearFigures year_figures(const std::vector<DecidedRecruitment>& counted_of_one_agency) {
  YearFigures out;
  for (const DecidedRecruitment& r : counted_of_one_agency) add_figures(out, r);
  return out;
}

std::vector<ComplianceRow> compliance_rows(const std::string& agency,
                                           const std::optional<Region>& region,
                                           const YearFigures& figures) {
  std::vector<ComplianceRow> out;
  out.reserve(figures.programs.size());
  for (const auto& [program, t] : figures.programs) {
    ComplianceRow& row = out.emplace_back();
    row.agency = agency;
    row.region = region;
    row.program = program;
    row.ratio = t.ratio.to_string();
    row.obligated = t.obligated;
    row.group_hires = t.group_hires;
    row.recruitments = figures.recruitments;
    row.units = figures.units;
    row.exempt_units = as_vector(t.exempt);
    row.shortfalls = as_vector(t.shortfalls);
    if (row.obligated > 0) {
      row.met = t.ratio.at_least(row.group_hires, row.obligated);
    } else {  // no obligated hires: neither met nor missed (SPEC §7), counted apart with why
      std::map<std::string, std::int64_t> why = t.exempt;
      if (t.min_planned) why[kMinPlanned] = t.min_planned;
      if (t.not_bound) why[kNotBound] = t.not_bound;
      if (t.no_hires) why[kNoHires] = t.no_hires;
      row.no_obligation = as_vector(why);
    }
  }
  return out;
}

std::vector<ComplianceRow> compliance_rows(const std::vector<DecidedRecruitment>& decided) {
  struct Agency {
    YearFigures figures;
    std::optional<Region> region;  // of the latest recruitment
    std::string announced, id;     // the latest recruitment
  };
  std::map<std::string, Agency> agencies;
  for (const DecidedRecruitment& r : decided) {
    Agency& a = agencies[r.info.agency];
    add_figures(a.figures, r);
    if (std::tie(r.info.announced, r.info.id) >= std::tie(a.announced, a.id)) {
      a.region = r.info.agency_region;
      a.announced = r.info.announced;
      a.id = r.info.id;
    }
  }
  std::vector<ComplianceRow> out;
  for (const auto& [code, a] : agencies)
    for (ComplianceRow& row : compliance_rows(code, a.region, a.figures))
      out.push_back(std::move(row));
  return out;
}

ComplianceReport compliance_report(int year, std::vector<ComplianceRow> rows) {
  ComplianceReport report;
  report.year = year;
  report.rows = std::move(rows);
  add_totals(report);
  return report;
}

ComplianceReport compliance_report(int year, const std::vector<DecidedRecruitment>& decided,
                                   const std::vector<RecruitmentInfo>& listed) {
  ComplianceReport report;
  report.year = year;
  report.rows = compliance_rows(decided);
  std::set<std::string> with_row;
  for (const ComplianceRow& row : report.rows) with_row.insert(row.agency);
  std::map<std::string, AgencyWithoutRow> without;
  for (const DecidedRecruitment& r : decided)
    if (!with_row.count(r.info.agency))
      without[r.info.agency] = {r.info.agency, r.info.agency_region, kNoProgram};
  for (const RecruitmentInfo& r : listed)
    if (!with_row.count(r.agency) && !without.count(r.agency))
      without[r.agency] = {r.agency, r.agency_region, kNoDecidedRecruitment};
  for (auto& [code, a] : without) report.without_row.push_back(std::move(a));
  add_totals(report);
  return report;
}

Result<ComplianceReport> annual_report(Store& store, int year, std::string_view agency) {
  if (!agency.empty()) {  // the figures decide keeps, when the agency decided any this year
    auto kept = store.read_year_figures(agency, year);
    if (!kept) return kept.error();
    if (*kept && (*kept)->figures.recruitments > 0) {
      ComplianceReport report;
      report.year = year;
      report.rows = compliance_rows(std::string(agency), (*kept)->region, (*kept)->figures);
      if (report.rows.empty())
        report.without_row.push_back({std::string(agency), (*kept)->region, kNoProgram});
      add_totals(report);
      return report;
    }
  }
  DecidedFilter filter;
  filter.year = year;
  filter.agency = std::string(agency);
  auto decided = store.decided(filter);
  if (!decided) return decided.error();
  // The listed recruitments only name agencies that have no decided one. One agency's report
  // with a decided recruitment has nothing to take from them, so they are not read.
  std::vector<DecidedRecruitment> kept = counted(std::move(*decided));
  if (!agency.empty() && !kept.empty()) return compliance_report(year, kept, {});
  auto listed = store.list_recruitments(agency, year);
  if (!listed) return listed.error();
  return compliance_report(year, kept, *listed);
}

Result<ComplianceReport> recomputed_report(Store& store, int year, std::string_view agency) {
  DecidedFilter filter;
  filter.year = year;
  filter.agency = std::string(agency);
  auto decided = store.decided(filter);
  if (!decided) return decided.error();
  auto listed = store.list_recruitments(agency, year);
  if (!listed) return listed.error();
  return compliance_report(year, counted(std::move(*decided)), *listed);
}

}  // namespace passline::app
