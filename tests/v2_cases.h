// quota-case/2 recruitments with per-program claims, decided through a store: the storage
// suites' fixture for what schema 9 keeps (unit_programs.exempt, decided_programs.source).
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include "passline/app/agencies.h"
#include "passline/app/compliance.h"
#include "passline/app/recruitments.h"
#include "passline/app/report_format.h"
#include "passline/json.h"
#include "storage_support.h"

namespace passline::test {

namespace app = passline::app;

/// A registered agency of Busan (2018 cohort, a public institution): from 2024-08-14 both
/// kr-innovation-city and kr-nonmetro-35 bind it.
inline app::AgencyRecord busan_agency(const std::string& code) {
  app::AgencyRecord r;
  r.agency.code = code;
  r.agency.region = Region::busan;
  r.agency.public_institution = true;
  r.agency.innovation_city = InnovationCity{2018, Date{2018, 1, 25}, false};
  r.name_ko = "부산기관 " + code;
  r.source = "test";
  return r;
}

/// A quota-case/2 recruitment of `agency` (make_case's applicants), its units' claims per
/// program: `claims[u]` for unit u, which plans `planned[u]` hires.
inline Case v2_case(const app::AgencyRecord& agency, const std::string& id,
                    const std::vector<std::int64_t>& planned,
                    const std::vector<std::vector<ProgramClaims>>& claims) {
  Case c;
  c.spec = Spec::v2;
  c.agency = agency.agency;
  c.recruitment = {id, Date{2024, 9, 2}};
  for (std::size_t u = 0; u < planned.size(); ++u) {
    Unit unit = make_case(id, agency.agency.code, "office", planned[u], 40).units.front();
    unit.id = "U" + std::to_string(u + 1);
    unit.claims = claims[u];
    for (const ProgramClaims& pc : unit.claims)
      for (const std::string& claim : pc.claims) {
        if (claim == "experienced") unit.requires_experience = true;
        if (claim == "regional_branch") unit.branch_region = Region::gangwon;
      }
    c.units.push_back(std::move(unit));
  }
  return c;
}

/// The 2024 year of three agencies: EXEMPT's units are all exempt from kr-innovation-city by a
/// claim (one from kr-nonmetro-35 too), so it has no obligated hiring under that program and the
/// report says why by claim; MIXED has one exempt unit and one bound; PLAIN claims nothing.
inline std::vector<std::pair<app::AgencyRecord, Case>> v2_year() {
  const std::string city = "kr-innovation-city", nonmetro = "kr-nonmetro-35";
  std::vector<std::pair<app::AgencyRecord, Case>> out;
  const auto exempt = busan_agency("EXEMPT");
  out.emplace_back(exempt, v2_case(exempt, "EXEMPT-1", {2, 3},
                                   {{{city, {"experienced"}}, {nonmetro, {"experienced"}}},
                                    {{city, {"regional_branch"}}}}));
  const auto mixed = busan_agency("MIXED");
  out.emplace_back(mixed, v2_case(mixed, "MIXED-1", {4, 6}, {{{city, {"experienced"}}}, {}}));
  const auto plain = busan_agency("PLAIN");
  out.emplace_back(plain, v2_case(plain, "PLAIN-1", {7}, {{}}));
  return out;
}

/// Registers, imports and decides v2_year() in `store`; checks each stored decision against a
/// direct decide; returns the annual report's JSON.
inline std::string decide_v2_year(app::Store& store) {
  FixedClock clock;
  for (auto [agency, c] : v2_year()) {
    CAPTURE(c.recruitment.id);
    REQUIRE(app::register_agency(store, agency).ok());
    auto direct = decide(c, bundled_rules());
    REQUIRE_MESSAGE(direct.ok(), direct.error().message);
    REQUIRE_MESSAGE(app::import_case(store, c, {}, clock).ok(), c.recruitment.id);
    auto decided = app::decide(store, c.recruitment.id, bundled_rules(), clock);
    REQUIRE_MESSAGE(decided.ok(), decided.error().message);
    auto stored = app::load_decision(store, c.recruitment.id);
    REQUIRE(stored.ok());
    CHECK(decision_to_json(stored->input, stored->decision) == decision_to_json(c, *direct));
  }
  auto report = app::annual_report(store, 2024);
  REQUIRE(report.ok());
  return app::report_json(*report);
}

}  // namespace passline::test
