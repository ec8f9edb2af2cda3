// How an HR system links passline::engine: build a case in C++, decide it, read the outcome.
// Built and run by the test suite as a smoke test.
#include <cstdio>

#include "passline/decision.h"
#include "passline/json.h"
#include "passline/rule_pack.h"

int main() {
  using namespace passline;
  Case c;
  c.agency = {"AG-JEJU", Region::jeju, 2018};
  c.recruitment = {"JEJU-2024-01", *Date::parse("2024-04-01")};
  c.programs.emplace_back(std::string("kr-innovation-city"));

  Unit unit;
  unit.id = "office";
  unit.field = "office";
  unit.planned = 3;
  Stage final_stage{"final", 3, {}};
  final_stage.threshold.min_score = Decimal::parse("70");
  unit.stages.push_back(final_stage);
  struct Row {
    const char* id;
    Region region;
    const char* score;
  };
  for (const Row& r : {Row{"J-01", Region::seoul, "95.5"}, Row{"J-02", Region::busan, "91"},
                       Row{"J-03", Region::seoul, "88.25"}, Row{"J-04", Region::jeju, "80"},
                       Row{"J-05", Region::jeju, "65"}}) {
    Applicant a;
    a.id = r.id;
    a.education.push_back({EducationLevel::university, r.region, EducationStatus::graduated});
    a.scores.push_back(Decimal::parse(r.score));
    unit.applicants.push_back(std::move(a));
  }
  c.units.push_back(std::move(unit));

  auto decision = decide(c, bundled_rules());
  if (!decision.ok()) {
    std::fprintf(stderr, "%s at %s: %s\n", decision.error().code.c_str(),
                 decision.error().path.c_str(), decision.error().message.c_str());
    return 1;
  }
  const StageResult& stage = decision->units[0].stages[0];
  const ProgramStageResult& program = stage.programs[0];
  std::printf("cut %s, threshold %s, target %lld, added %lld, hires %lld\n",
              stage.cut->to_string().c_str(), stage.threshold->to_string().c_str(),
              static_cast<long long>(program.target), static_cast<long long>(program.additional),
              static_cast<long long>(decision->units[0].hires));
  // 30% of 3 is 0.9, rounded up: 1 local hire is required. J-04 (jeju, 80 ≥ 70) is added.
  return program.target == 1 && program.additional == 1 && decision->units[0].hires == 4 ? 0 : 1;
}
