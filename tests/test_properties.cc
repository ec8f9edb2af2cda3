// Properties of decide() over many generated cases (SPEC.md §4):
// - a regular pass never loses its place to an additional one;
// - every additional passer is a member of its program's group, at or above the threshold;
// - a program's target is met unless a shortfall with its stopped_by reason is reported, and
//   the reason is true of the data;
// - the same case decided twice, or with its applicants shuffled, gives identical bytes.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "passline/decision.h"
#include "passline/json.h"
#include "passline/rule_pack.h"
#include "case_generator.h"

using namespace passline;
using passline::test::generate;

namespace {

void check_unit(const Case& c, const Decision& d, std::size_t u) {
  const Unit& unit = c.units[u];
  const UnitDecision& ud = d.units[u];
  std::vector<bool> in_pool(unit.applicants.size(), true);
  for (std::size_t s = 0; s < unit.stages.size(); ++s) {
    const StageResult& sr = ud.stages[s];
    CAPTURE(s);
    std::int64_t considered = 0, rank = 0, passed = 0;
    for (std::size_t a = 0; a < unit.applicants.size(); ++a) {
      const StageOutcome& o = ud.outcome(a, s);
      if (!in_pool[a]) {
        CHECK(o.outcome == Outcome::not_reached);
        continue;
      }
      CHECK(o.outcome != Outcome::not_reached);
      const auto& score = unit.applicants[a].scores[s];
      const bool dq = !score || ((unit.applicants[a].disqualified >> s) & 1u);
      CHECK(dq == (o.outcome == Outcome::fail_disqualified));
      if (dq) continue;
      ++considered;
      // Regular passes are exactly the considered at or above the cut.
      const bool regular = o.outcome == Outcome::pass_rank || o.outcome == Outcome::pass_tie;
      CHECK(regular == (sr.cut && *score >= *sr.cut));
      rank += o.outcome == Outcome::pass_rank;
      if (o.outcome == Outcome::pass_additional) {
        CHECK(((ud.local[a] >> o.program) & 1u) == 1u);
        REQUIRE(sr.threshold);
        CHECK(*score >= *sr.threshold);
        CHECK(*score < *sr.cut);
      }
      passed += is_pass(o.outcome);
    }
    CHECK(considered == sr.considered);
    CHECK(rank == std::min<std::int64_t>(sr.planned, considered));
    CHECK(passed == sr.passed);
    for (std::size_t p = 0; p < sr.programs.size(); ++p) {
      const ProgramStageResult& pr = sr.programs[p];
      CAPTURE(p);
      std::int64_t members = 0;
      for (std::size_t a = 0; a < unit.applicants.size(); ++a)
        if (in_pool[a] && is_pass(ud.outcome(a, s).outcome) && ((ud.local[a] >> p) & 1u)) ++members;
      CHECK((pr.stopped_by == StoppedBy::none) == (pr.shortfall == 0));
      if (pr.shortfall == 0) CHECK(members >= pr.target);
      if (ud.exempt) CHECK(pr.target == 0);
      if (pr.stopped_by == StoppedBy::pool || pr.stopped_by == StoppedBy::threshold) {
        // No member left unpassed at or above the threshold (pool: none at all).
        for (std::size_t a = 0; a < unit.applicants.size(); ++a) {
          if (!in_pool[a] || !((ud.local[a] >> p) & 1u)) continue;
          if (ud.outcome(a, s).outcome != Outcome::fail_below_cut) continue;
          if (pr.stopped_by == StoppedBy::pool)
            FAIL("a member was left in the pool");
          else
            CHECK(*unit.applicants[a].scores[s] < *sr.threshold);
        }
      }
    }
    for (std::size_t a = 0; a < unit.applicants.size(); ++a)
      in_pool[a] = in_pool[a] && is_pass(ud.outcome(a, s).outcome);
  }
}

}  // namespace

TEST_CASE("properties of decide over generated cases") {
  const RuleRegistry& rules = bundled_rules();
  std::mt19937 rng(20260124);
  int decided = 0, refused = 0;
  for (int i = 0; i < 600; ++i) {
    Case c = generate(rng);
    CAPTURE(i);
    auto d = decide(c, rules);
    if (!d.ok()) {
      // Only the rules' own refusals are acceptable for generated cases.
      const ErrorCode code = d.error().code;
      CAPTURE(d.error().path);
      CHECK_MESSAGE((code == "no_rule_in_force" || code == "threshold_missing"), code);
      ++refused;
      continue;
    }
    ++decided;
    for (std::size_t u = 0; u < c.units.size(); ++u) check_unit(c, *d, u);

    const std::string bytes = decision_to_json(c, *d);
    auto again = decide(c, rules);
    REQUIRE(again.ok());
    CHECK(decision_to_json(c, *again) == bytes);

    Case shuffled = c;
    for (Unit& unit : shuffled.units)
      std::shuffle(unit.applicants.begin(), unit.applicants.end(), rng);
    auto d2 = decide(shuffled, rules);
    REQUIRE(d2.ok());
    CHECK(decision_to_json(shuffled, *d2) == bytes);
  }
  CHECK(decided > 400);
  MESSAGE("decided " << decided << ", refused " << refused);
}
