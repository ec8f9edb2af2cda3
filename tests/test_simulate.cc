// What-if decisions (simulate.h, issue 14): with no overrides a simulation is decide()'s
// decision bit for bit; every point of a sweep (decided from the ranking made once) equals
// simulate()'s decision under the same override, on the conformance cases of both specs,
// generated cases and a large unit; override errors name what was given; the difference from
// the baseline counts who is added and dropped.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "case_generator.h"
#include "passline/decision.h"
#include "passline/json.h"
#include "passline/simulate.h"
#include "support.h"

namespace fs = std::filesystem;
using namespace passline;

namespace {

const fs::path kV1 = PASSLINE_CONFORMANCE_DIR;
const fs::path kV2 = fs::path(PASSLINE_CONFORMANCE_DIR) / "../conformance-v2";

std::vector<Case> conformance_cases() {
  std::vector<fs::path> files;
  for (const fs::path& dir : {kV1, kV2})
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename().string().ends_with(".case.json")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<Case> out;
  for (const fs::path& f : files) {
    auto c = parse_case_json(test::slurp(f));
    if (c.ok()) out.push_back(std::move(c).value());
  }
  return out;
}

/// Bit for bit: the decision document and every outcome cell and membership mask.
void check_same(const Case& c, const Decision& a, const Decision& b) {
  REQUIRE(a.units.size() == b.units.size());
  CHECK(decision_to_json(c, a) == decision_to_json(c, b));
  for (std::size_t u = 0; u < a.units.size(); ++u) {
    const auto& x = a.units[u];
    const auto& y = b.units[u];
    CHECK(x.local == y.local);
    CHECK(x.hires == y.hires);
    CHECK(x.group_hires == y.group_hires);
    REQUIRE(x.outcomes.size() == y.outcomes.size());
    bool same = true;
    for (std::size_t i = 0; i < x.outcomes.size(); ++i)
      same = same && x.outcomes[i].outcome == y.outcomes[i].outcome &&
             x.outcomes[i].program == y.outcomes[i].program;
    CHECK(same);
    REQUIRE(x.stages.size() == y.stages.size());
    for (std::size_t s = 0; s < x.stages.size(); ++s) {
      CHECK(x.stages[s].considered == y.stages[s].considered);
      CHECK(x.stages[s].cut == y.stages[s].cut);
      CHECK(x.stages[s].threshold == y.stages[s].threshold);
      CHECK(x.stages[s].passed == y.stages[s].passed);
      REQUIRE(x.stages[s].programs.size() == y.stages[s].programs.size());
      for (std::size_t p = 0; p < x.stages[s].programs.size(); ++p) {
        const auto& pa = x.stages[s].programs[p];
        const auto& pb = y.stages[s].programs[p];
        CHECK(pa.target == pb.target);
        CHECK(pa.regular == pb.regular);
        CHECK(pa.additional == pb.additional);
        CHECK(pa.shortfall == pb.shortfall);
        CHECK(pa.stopped_by == pb.stopped_by);
      }
    }
  }
}

/// The override a sweep point stands for.
Overrides point_overrides(const SweepParam& param, Decimal v) {
  Overrides o;
  switch (param.kind) {
    case SweepParam::Kind::min_score:
    case SweepParam::Kind::below_cut:
      o.thresholds.push_back({param.unit, param.stage,
                              param.kind == SweepParam::Kind::min_score ? ThresholdPart::min_score
                                                                        : ThresholdPart::below_cut,
                              v, param.source});
      break;
    case SweepParam::Kind::ratio:
      o.programs.push_back({param.program, *Ratio::parse(v.to_string()), {}, {}, 0, param.source});
      break;
    case SweepParam::Kind::min_planned:
      o.programs.push_back({param.program, {}, v.units() / Decimal::kScale, {}, 0, param.source});
      break;
  }
  return o;
}

/// Every point of the sweep equals simulate() under its override (or fails alike).
void check_sweep(const Case& c, const SweepParam& param, const std::vector<Decimal>& values) {
  const RuleRegistry& rules = bundled_rules();
  auto sw = sweep(c, rules, {}, param, values, {true});
  if (!sw.ok()) return;  // the baseline or the parameter fails; simulate() covers those
  REQUIRE(sw->points.size() == values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    const SweepPoint& point = sw->points[i];
    auto sim = simulate(c, rules, point_overrides(param, values[i]));
    CAPTURE(c.recruitment.id);
    CAPTURE(param.stage);
    CAPTURE(param.program);
    CAPTURE(values[i].to_string());
    REQUIRE(sim.ok() == !point.error.has_value());
    if (!sim.ok()) {
      CHECK(sim.error().code == point.error->code);
      CHECK(sim.error().path == point.error->path);
      continue;
    }
    REQUIRE(point.decision);
    check_same(sim->input, sim->decision, *point.decision);
    // The point's figures are those of the decision it kept.
    std::int64_t hires = 0;
    for (const auto& ud : point.decision->units) hires += ud.hires;
    CHECK(point.hires == hires);
    const SimulationDiff d =
        diff(sw->baseline.input, sw->baseline.decision, sim->input, sim->decision);
    CHECK(point.added == d.added);
    CHECK(point.dropped == d.dropped);
  }
}

/// Every parameter of `c` swept over values that cross its scores.
void check_all_sweeps(const Case& c) {
  const std::vector<Decimal> scores = {Decimal::from_int(0),  Decimal::from_int(30),
                                       Decimal::from_int(45), Decimal::from_int(60),
                                       Decimal::from_int(75), Decimal::from_int(90),
                                       Decimal::from_int(101)};
  const std::vector<Decimal> gaps = {Decimal::from_int(0), Decimal::from_units(2'500'000),
                                     Decimal::from_int(10), Decimal::from_int(40)};
  for (const Unit& unit : c.units)
    for (const Stage& stage : unit.stages) {
      check_sweep(c, {SweepParam::Kind::min_score, unit.id, stage.name, {}, "t"}, scores);
      check_sweep(c, {SweepParam::Kind::below_cut, {}, stage.name, {}, "b"}, gaps);
    }
  auto d = decide(c, bundled_rules());
  if (!d.ok()) return;
  const std::vector<Decimal> ratios = {Decimal::from_int(0), Decimal::from_units(100'000),
                                       Decimal::from_units(300'000), Decimal::from_units(350'000),
                                       Decimal::from_units(700'000)};
  const std::vector<Decimal> mins = {Decimal::from_int(0), Decimal::from_int(3),
                                     Decimal::from_int(10), Decimal::from_int(100)};
  for (const Program& p : d->programs) {
    check_sweep(c, {SweepParam::Kind::ratio, {}, {}, p.id, "r"}, ratios);
    check_sweep(c, {SweepParam::Kind::min_planned, {}, {}, p.id, "m"}, mins);
  }
}

/// One unit of `n` applicants through three stages (bench_decide's shape, few distinct scores
/// so that ties at the cut are common), large enough for the radix-sorted ranking.
Case large_case(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Case c;
  c.agency = {"AG-BUSAN", Region::busan, 2018};
  c.recruitment = {"LARGE", *Date::parse("2022-03-02")};
  c.programs.emplace_back(std::string("kr-innovation-city"));
  Unit u;
  u.id = "U1";
  u.field = "office";
  u.planned = static_cast<std::int64_t>(n / 100);
  u.stages = {{"document", static_cast<std::int64_t>(n / 4), {Decimal::from_int(60), {}}},
              {"written", static_cast<std::int64_t>(n / 20), {Decimal::from_int(60), {}}},
              {"interview", u.planned, {Decimal::from_int(70), {}}}};
  for (std::size_t i = 0; i < n; ++i) {
    Applicant a;
    a.id = "A" + std::to_string(100000 + (i * 7919) % 900000);  // not in score order
    const bool local = rng() % 5 == 0;
    a.education.push_back({EducationLevel::university, local ? Region::busan : Region::seoul,
                           EducationStatus::graduated});
    for (int s = 0; s < 3; ++s)
      a.scores.push_back(Decimal::from_units(static_cast<std::int64_t>(rng() % 201) * 500'000));
    if (rng() % 50 == 0) a.scores[1].reset();
    if (rng() % 70 == 0) a.disqualified |= 4;
    u.applicants.push_back(std::move(a));
  }
  c.units.push_back(std::move(u));
  return c;
}

}  // namespace

TEST_CASE("simulate with no overrides is decide(), bit for bit, on every conformance case") {
  const auto cases = conformance_cases();
  REQUIRE(cases.size() > 30);
  int decided = 0;
  for (const Case& c : cases) {
    CAPTURE(c.recruitment.id);
    auto real = decide(c, bundled_rules());
    auto sim = simulate(c, bundled_rules(), {});
    REQUIRE(real.ok() == sim.ok());
    if (!real.ok()) {
      CHECK(real.error().code == sim.error().code);
      CHECK(real.error().path == sim.error().path);
      continue;
    }
    ++decided;
    check_same(c, *real, sim->decision);
    const SimulationDiff d = diff(c, *real, sim->input, sim->decision);
    CHECK(d.added == 0);
    CHECK(d.dropped == 0);
  }
  CHECK(decided > 20);
}

TEST_CASE("every sweep point equals simulate() under its override: conformance cases") {
  for (const Case& c : conformance_cases()) check_all_sweeps(c);
}

TEST_CASE("every sweep point equals simulate() under its override: generated cases") {
  std::mt19937 rng(1414);
  for (int i = 0; i < 150; ++i) check_all_sweeps(test::generate(rng, i % 2 == 1));
}

TEST_CASE("a threshold sweep over a large unit (radix-sorted ranking) equals simulate()") {
  const Case c = large_case(6000, 7);
  auto values =
      sweep_values(Decimal::from_int(40), Decimal::from_int(95), Decimal::from_int(5), "sweep");
  REQUIRE(values.ok());
  for (const char* stage : {"document", "written", "interview"})
    check_sweep(c, {SweepParam::Kind::min_score, {}, stage, {}, "sweep"}, *values);
  check_sweep(c, {SweepParam::Kind::ratio, {}, {}, "kr-innovation-city", "sweep"},
              {Decimal::from_units(100'000), Decimal::from_units(400'000)});
}

TEST_CASE("a lower threshold adds local applicants; the diff names them") {
  auto c = parse_case_json(test::slurp(kV1 / "04-threshold-stops.case.json"));
  REQUIRE(c.ok());
  auto base = decide(*c, bundled_rules());
  REQUIRE(base.ok());
  Overrides o;
  o.thresholds.push_back({"", "final", ThresholdPart::min_score, Decimal::from_int(0), "t"});
  auto sim = simulate(*c, bundled_rules(), o);
  REQUIRE(sim.ok());
  CHECK(sim->input.units[0].stages[0].threshold.min_score == Decimal::from_int(0));
  CHECK(c->units[0].stages[0].threshold.min_score == Decimal::from_int(81));  // input untouched
  const SimulationDiff d = diff(*c, *base, sim->input, sim->decision);
  REQUIRE(d.units.size() == 1);
  CHECK(d.added > 0);
  CHECK(d.dropped == 0);
  CHECK(d.units[0].added.size() == static_cast<std::size_t>(d.added));
  REQUIRE(d.units[0].stages.size() == 1);
  const auto& stage = d.units[0].stages[0];
  REQUIRE(stage.programs.size() == 1);
  CHECK(stage.programs[0].base->shortfall > stage.programs[0].sim->shortfall);
  CHECK(stage.base_threshold == Decimal::from_int(81));
  CHECK(stage.sim_threshold == Decimal::from_int(0));
  REQUIRE(d.programs.size() == 1);
  CHECK(d.programs[0].sim->group_hires > d.programs[0].base->group_hires);
}

TEST_CASE("program overrides: ratio, min_planned, regions, dropping and adding programs") {
  auto c = parse_case_json(test::slurp(kV1 / "01-basic-shortfall.case.json"));
  REQUIRE(c.ok());
  auto base = decide(*c, bundled_rules());
  REQUIRE(base.ok());
  const std::string id = base->programs[0].id;

  Overrides ratio;
  ratio.programs.push_back({id, *Ratio::parse("0"), {}, {}, 0, "--ratio"});
  auto zero = simulate(*c, bundled_rules(), ratio);
  REQUIRE(zero.ok());
  for (const auto& st : zero->decision.units[0].stages) CHECK(st.programs[0].target == 0);

  Overrides big;
  big.programs.push_back({id, {}, std::int64_t{1000}, {}, 0, "--min-planned"});
  auto unbound = simulate(*c, bundled_rules(), big);
  REQUIRE(unbound.ok());
  CHECK_FALSE(program_applies(unbound->input.units[0], unbound->decision.units[0], 0,
                              unbound->decision.programs[0]));

  Overrides everywhere;
  everywhere.programs.push_back({id, {}, {}, kAllRegionsV1, 0, "--regions"});
  auto all = simulate(*c, bundled_rules(), everywhere);
  REQUIRE(all.ok());
  const auto& local = all->decision.units[0].local;
  std::size_t educated = 0;
  for (std::size_t a = 0; a < local.size(); ++a)
    educated += !c->units[0].applicants[a].education.empty();
  CHECK(static_cast<std::size_t>(std::count(local.begin(), local.end(), 1u)) <= educated);

  Overrides without;
  without.drop_programs.push_back(id);
  auto none = simulate(*c, bundled_rules(), without);
  REQUIRE(none.ok());
  CHECK(none->decision.programs.empty());
  const SimulationDiff d = diff(*c, *base, none->input, none->decision);
  REQUIRE(d.programs.size() == 1);
  CHECK(d.programs[0].base);
  CHECK_FALSE(d.programs[0].sim);
}

TEST_CASE("override errors name the override and what would be right") {
  auto c = parse_case_json(test::slurp(kV1 / "01-basic-shortfall.case.json"));
  REQUIRE(c.ok());
  Overrides stage;
  stage.thresholds.push_back(
      {"", "nope", ThresholdPart::min_score, Decimal::from_int(1), "--threshold nope=1"});
  auto e1 = simulate(*c, bundled_rules(), stage);
  REQUIRE_FALSE(e1.ok());
  CHECK(e1.error().code == "unknown_stage");
  CHECK(e1.error().path == "--threshold nope=1");

  Overrides ratio;
  ratio.programs.push_back({"kr-innovation-city", *Ratio::parse("1.5"), {}, {}, 0, "--ratio x"});
  auto e2 = simulate(*c, bundled_rules(), ratio);
  REQUIRE_FALSE(e2.ok());
  CHECK(e2.error().code == "bad_ratio");
  CHECK(e2.error().path == "--ratio x");

  Overrides program;
  program.programs.push_back({"no-such", *Ratio::parse("0.1"), {}, {}, 0, "--ratio no-such=0.1"});
  auto e3 = simulate(*c, bundled_rules(), program);
  REQUIRE_FALSE(e3.ok());
  CHECK(e3.error().code == "unknown_program");

  Overrides edition;
  edition.editions.push_back({"kr-innovation-city", "1999-01-01"});
  auto e4 = simulate(*c, bundled_rules(), edition);
  REQUIRE_FALSE(e4.ok());
  CHECK(e4.error().code == "invalid_value");

  auto e5 = sweep(*c, bundled_rules(), {}, {SweepParam::Kind::min_score, {}, "nope", {}, "--sweep"},
                  {Decimal::from_int(1)});
  REQUIRE_FALSE(e5.ok());
  CHECK(e5.error().code == "unknown_stage");
}

TEST_CASE("a pack edition override decides under that edition's ratio") {
  auto c = parse_case_json(test::slurp(kV1 / "01-basic-shortfall.case.json"));
  REQUIRE(c.ok());
  const RuleRegistry& rules = bundled_rules();
  for (const RulePack& p : rules.all()) {
    if (p.id != "kr-innovation-city") continue;
    Overrides o;
    o.editions.push_back({p.id, p.version});
    auto sim = simulate(*c, rules, o);
    if (!sim.ok()) {
      // its periods do not cover the date, or it is a quota-case/2 edition of the same id
      CHECK((sim.error().code == "no_rule_in_force" || sim.error().code == "unknown_program"));
      continue;
    }
    CHECK(sim->decision.programs[0].pack_version == p.version);
  }
}

TEST_CASE("sweep_values: FROM to TO by STEP, inclusive; bad ranges refused") {
  auto v = sweep_values(Decimal::from_int(50), Decimal::from_int(80), Decimal::from_int(5), "s");
  REQUIRE(v.ok());
  REQUIRE(v->size() == 7);
  CHECK(v->front() == Decimal::from_int(50));
  CHECK(v->back() == Decimal::from_int(80));
  auto odd = sweep_values(Decimal::from_int(0), Decimal::from_units(1'000'000),
                          Decimal::from_units(300'000), "s");
  REQUIRE(odd.ok());
  CHECK(odd->size() == 4);  // 0, 0.3, 0.6, 0.9
  CHECK_FALSE(
      sweep_values(Decimal::from_int(1), Decimal::from_int(2), Decimal::from_int(0), "s").ok());
  CHECK_FALSE(
      sweep_values(Decimal::from_int(3), Decimal::from_int(2), Decimal::from_int(1), "s").ok());
  CHECK_FALSE(
      sweep_values(Decimal::from_int(0), Decimal::from_int(5000), Decimal::from_units(1), "s")
          .ok());
}

TEST_CASE("program_totals: rate and met with the ledger of the year") {
  auto c = parse_case_json(test::slurp(kV1 / "01-basic-shortfall.case.json"));
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  const auto totals = program_totals(*c, *d);
  REQUIRE(totals.size() == d->programs.size());
  for (const auto& t : totals) {
    CHECK(t.group_hires <= t.obligated);
    if (t.year_obligated == 0) {
      CHECK_FALSE(t.met);
      CHECK(t.rate == "-");
    } else {
      CHECK(t.met);
      CHECK(t.rate.find('.') != std::string::npos);
    }
  }
}
