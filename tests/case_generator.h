// A generator of random but valid quota-case/1 cases, shared by the property suites.
#pragma once

#include <algorithm>
#include <random>
#include <string>

#include "passline/case.h"

namespace passline::test {

/// A random case under kr-innovation-city, sometimes with an inline attribute program (cap,
/// agency_year scope, ledger.prior). Few distinct scores, so ties are common. With `wide`,
/// scores also run from 0 and below_cut up to 60, so cut − below_cut can be negative.
inline Case generate(std::mt19937& rng, bool wide = false) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  Case c;
  static constexpr Region kRegions[] = {Region::busan, Region::daegu, Region::gwangju,
                                        Region::jeju,  Region::ulsan, Region::sejong};
  c.agency = {"AG", kRegions[pick(6)], 2018};
  c.recruitment = {"R", Date{2019 + pick(7), 1 + pick(12), 1 + pick(28)}};
  c.programs.emplace_back(std::string("kr-innovation-city"));
  if (pick(2)) {
    Program p;
    p.id = "inline-attr";
    p.group = AttributeGroup{"track", "local"};
    p.ratio = *Ratio::parse(pick(2) ? "20%" : "0.35");
    p.rounding = static_cast<Rounding>(pick(3));
    if (pick(2)) p.cap = Cap{*Ratio::parse("0.1"), static_cast<Rounding>(pick(3))};
    if (pick(3) == 0) p.scope = Scope::agency_year;
    c.programs.emplace_back(p);
    const int prior = pick(30);
    c.ledger.push_back({"office", prior, {{"inline-attr", pick(prior + 1) / 2}}});
  }
  const int units = 1 + pick(2);
  for (int u = 0; u < units; ++u) {
    Unit unit;
    unit.id = "U" + std::to_string(u);
    unit.field = pick(2) ? "office" : "tech";
    const int stages = 1 + pick(3);
    std::int64_t planned = 1 + pick(12);
    std::vector<std::int64_t> plan(stages);
    for (int s = stages - 1; s >= 0; --s) {
      plan[s] = planned;
      planned = planned * (1 + pick(3));
    }
    for (int s = 0; s < stages; ++s) {
      Stage st;
      st.name = "s" + std::to_string(s);
      st.planned = plan[s];
      if (pick(3)) st.threshold.min_score = Decimal::from_int(40 + pick(40));
      if (!st.threshold.min_score || pick(2))
        st.threshold.below_cut = Decimal::from_units(pick(wide ? 120 : 20) * 500'000);
      unit.stages.push_back(st);
    }
    unit.planned = plan.back();
    const int n = pick(60);
    for (int a = 0; a < n; ++a) {
      Applicant app;
      app.id = "A" + std::to_string(1000 + pick(100000));
      for (int e = pick(3); e > 0; --e)
        app.education.push_back({static_cast<EducationLevel>(pick(4)),
                                 pick(2) ? c.agency.region : kRegions[pick(6)],
                                 static_cast<EducationStatus>(pick(4))});
      for (int s = 0; s < stages; ++s) {
        if (pick(15) == 0)
          app.scores.emplace_back(std::nullopt);
        else if (wide && pick(4) == 0)
          app.scores.emplace_back(Decimal::from_units(pick(20) * 500'000));
        else  // few distinct values, so ties are common
          app.scores.emplace_back(Decimal::from_units((50 + pick(40)) * 500'000));
        if (pick(30) == 0) app.disqualified |= std::uint64_t{1} << s;
      }
      if (pick(3) == 0) app.attributes.emplace_back("track", "local");
      unit.applicants.push_back(std::move(app));
    }
    // Ids must be unique: renumber duplicates.
    std::sort(unit.applicants.begin(), unit.applicants.end(),
              [](const Applicant& x, const Applicant& y) { return x.id < y.id; });
    for (std::size_t i = 1; i < unit.applicants.size(); ++i)
      if (unit.applicants[i].id <= unit.applicants[i - 1].id)
        unit.applicants[i].id = unit.applicants[i - 1].id + "x";
    std::shuffle(unit.applicants.begin(), unit.applicants.end(), rng);
    c.units.push_back(std::move(unit));
  }
  return c;
}

}  // namespace passline::test
