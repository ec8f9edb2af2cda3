// Which programs bind a quota-case/2 recruitment (SPEC §2, §3.2): the law by the agency's facts,
// then the further programs the case names.
//
// 혁신도시법 §29-2①: the head of an 이전공공기관등 "채용하여야 한다" — kr-innovation-city binds an
// agency with innovation_city set, from its `since`. 지방대육성법 §13②: "수도권이 아닌 지역에
// 소재하는 공공기관은 ... 채용하여야 한다" — kr-nonmetro-35 binds a public institution outside the
// capital region. Neither can be left out or redefined by the case.
#include <set>

#include "detail/case_json_common.h"
#include "detail/law.h"
#include "detail/paths.h"

namespace passline::detail {
namespace {

bool bound_by_law(const RulePack& pack, const Agency& agency, Date announced) {
  switch (pack.binds) {
    case Binds::none: return false;
    case Binds::innovation_city:
      return agency.innovation_city && agency.innovation_city->since <= announced;
    case Binds::public_institution_outside_capital:
      return agency.public_institution && !is_capital(agency.region);
  }
  return false;
}

/// Every region code of the case is valid on the announcement date (SPEC §2: jeonnam_gwangju
/// only from 2026-07-01).
Status check_region_codes(const Case& c, const RegionCalendar& regions) {
  const Date on = c.recruitment.announced;
  auto bad = [&](Region r, const std::string& where) {
    return make_error("unknown_region", where,
                      "\"" + std::string(to_string(r)) +
                          "\" is not a region code for a recruitment announced on " +
                          on.to_string() + " (jeonnam_gwangju is one from 2026-07-01)");
  };
  if (!regions.valid(c.agency.region, on)) return bad(c.agency.region, "agency.region");
  for (std::size_t p = 0; p < c.programs.size(); ++p) {
    const auto* inline_program = std::get_if<Program>(&c.programs[p]);
    if (!inline_program) continue;
    const RegionSet set = education_regions(inline_program->group);
    for (int r = kRegionCountV1; r < kRegionCount; ++r)
      if ((set & region_bit(static_cast<Region>(r))) && !regions.valid(static_cast<Region>(r), on))
        return bad(static_cast<Region>(r), path("programs", p) + ".group");
  }
  for (std::size_t u = 0; u < c.units.size(); ++u) {
    const Unit& unit = c.units[u];
    const std::string up = path("units", u);
    if (unit.branch_region && !regions.valid(*unit.branch_region, on))
      return bad(*unit.branch_region, up + ".branch_region");
    for (std::size_t a = 0; a < unit.applicants.size(); ++a) {
      const auto& edu = unit.applicants[a].education;
      for (std::size_t e = 0; e < edu.size(); ++e)
        if (!regions.valid(edu[e].region, on))
          return bad(edu[e].region,
                     path(path(up + ".applicants", a) + ".education", e) + ".region");
    }
  }
  return Status::ok_status();
}

/// Widens every education predicate of `g` by the region mergers in force (SPEC §2).
void widen(Group& g, const RegionCalendar& regions, Date on) {
  if (auto* e = std::get_if<EducationGroup>(&g)) e->regions = regions.widen(e->regions, on);
  if (auto* any = std::get_if<AnyOfGroup>(&g))
    for (GroupNode& member : any->any_of) widen(member.group, regions, on);
}

Error at_program(Error e, std::size_t p) {
  e.path = path("programs", p);
  return e;
}

}  // namespace

Status check_agency_facts(const Case& c, const RegionCalendar& regions) {
  const Agency& a = c.agency;
  if (auto problem = id_problem(a.code))
    return make_error("bad_id", "agency.code", "the id " + *problem);
  if (auto ok = check_region_codes(c, regions); !ok.ok()) return ok;
  if (!a.innovation_city) return Status::ok_status();
  const InnovationCity& city = *a.innovation_city;
  if (is_capital(a.region))
    return make_error("agency_not_covered", "agency.region",
                      "an agency located in " + std::string(to_string(a.region)) +
                          " (the capital region) is not an 이전공공기관등 (혁신도시법 §29-2①)");
  if (city.cohort != 2018 && city.cohort != 2020)
    return make_error("invalid_value", "agency.innovation_city.cohort",
                      "the cohort is 2018 (relocated agencies) or 2020 (designated under Decree "
                      "§30-2①), not " +
                          std::to_string(city.cohort));
  const Date earliest = city.cohort == 2018 ? Date{2018, 1, 25} : Date{2020, 5, 27};
  if (city.since < earliest)
    return make_error("invalid_value", "agency.innovation_city.since",
                      "the " + std::to_string(city.cohort) + " cohort is bound from " +
                          earliest.to_string() + " at the earliest, not " + city.since.to_string());
  const RegionSet joint_regions =
      regions.widen(region_bit(Region::gwangju) | region_bit(Region::jeonnam) |
                        region_bit(Region::jeonnam_gwangju),
                    Date{9999, 12, 31});
  if (city.joint_city && !(joint_regions & region_bit(a.region)))
    return make_error("invalid_value", "agency.innovation_city.joint_city",
                      "the joint innovation city (Decree §30-2⑥1) is Gwangju–Jeonnam's; an agency "
                      "in " +
                          std::string(to_string(a.region)) + " cannot be there");
  return Status::ok_status();
}

Result<std::vector<Program>> programs_in_force(const Case& c, const RuleRegistry& rules) {
  const Date on = c.recruitment.announced;
  std::vector<Program> out;
  // §3.2 1–2: the law, in the registry's order of pack ids (kr-innovation-city, kr-nonmetro-35).
  std::set<std::string> seen;
  for (const RulePack& pack : rules.all()) {
    if (pack.spec != 2 || pack.binds == Binds::none || !seen.insert(pack.id).second) continue;
    const RulePack* in_force = rules.find(pack.id, on, 2);
    if (!in_force || !bound_by_law(*in_force, c.agency, on)) continue;
    auto program = resolve_program_v2(*in_force, c.agency, on, rules.regions());
    if (!program.ok()) {
      Error e = std::move(program).error();
      e.path = "recruitment.announced";
      return e;
    }
    program.value().source = ProgramSource::law;
    out.push_back(std::move(program).value());
  }
  // §3.2 3: the case's further programs.
  for (std::size_t p = 0; p < c.programs.size(); ++p) {
    const bool is_inline = std::holds_alternative<Program>(c.programs[p]);
    const std::string& id =
        is_inline ? std::get<Program>(c.programs[p]).id : std::get<std::string>(c.programs[p]);
    for (const Program& earlier : out)
      if (earlier.id == id)
        return make_error(earlier.source == ProgramSource::law
                              ? ErrorCode("program_assigned_by_law")
                              : ErrorCode("duplicate_program"),
                          path("programs", p),
                          earlier.source == ProgramSource::law
                              ? "'" + id +
                                    "' binds this agency by law; the case may not name or "
                                    "redefine it"
                              : "program '" + id + "' is named twice");
    if (is_inline) {
      if (rules.knows(id, 2) || rules.knows(id, 1))
        return make_error("program_assigned_by_law", path("programs", p),
                          "'" + id +
                              "' is a rule pack of the law; an inline program may not "
                              "reuse its id");
      Program program = std::get<Program>(c.programs[p]);
      program.source = ProgramSource::case_;
      widen(program.group, rules.regions(), on);
      out.push_back(std::move(program));
      continue;
    }
    if (!rules.knows(id, 2))
      return make_error("unknown_program", path("programs", p),
                        "no rule pack '" + id + "' (see `passline rules list`)");
    const RulePack* pack = rules.find(id, on, 2);
    const RulePack& any_version = [&]() -> const RulePack& {
      for (const RulePack& v : rules.all())
        if (v.id == id && v.spec == 2) return v;
      return rules.all().front();
    }();
    if (any_version.binds == Binds::innovation_city && !c.agency.innovation_city)
      return make_error("agency_not_covered", path("programs", p),
                        "'" + id + "' covers only 이전공공기관등 (agency.innovation_city)");
    if (!pack || (pack->binds == Binds::innovation_city && on < c.agency.innovation_city->since))
      return make_error("no_rule_in_force", path("programs", p),
                        "no version of '" + id + "' binds a recruitment announced on " +
                            on.to_string());
    auto program = resolve_program_v2(*pack, c.agency, on, rules.regions());
    if (!program.ok()) return at_program(std::move(program).error(), p);
    program.value().source = ProgramSource::case_;
    out.push_back(std::move(program).value());
  }
  if (out.size() > kMaxPrograms)
    return make_error("invalid_value", "programs",
                      "at most " + std::to_string(kMaxPrograms) + " programs per case");
  return out;
}

}  // namespace passline::detail
