// An installed passline::engine, used from outside the tree: read a quota-case/1 file, decide
// it under the bundled rule packs, check the outcome README describes for the Busan example.
// Usage: consumer examples/busan-two-stage.case.json   (exit 0 when the decision is as expected)
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "passline/decision.h"
#include "passline/json.h"
#include "passline/rule_pack.h"

namespace {

int failures = 0;

void expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "consumer: unexpected decision: %s\n", what);
    ++failures;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: consumer CASE.json\n");
    return 64;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "consumer: cannot read %s\n", argv[1]);
    return 2;
  }
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};

  auto parsed = passline::parse_case_json(text);
  if (!parsed.ok()) {
    std::fprintf(stderr, "consumer: %s: %s\n", parsed.error().path.c_str(),
                 parsed.error().code.c_str());
    return 2;
  }
  auto decision = passline::decide(*parsed, passline::bundled_rules());
  if (!decision.ok()) {
    std::fprintf(stderr, "consumer: %s at %s: %s\n", decision.error().code.c_str(),
                 decision.error().path.c_str(), decision.error().message.c_str());
    return 2;
  }

  // README, "Example: a Busan agency, two stages".
  expect(decision->units.size() == 1, "one unit");
  const passline::UnitDecision& unit = decision->units.at(0);
  expect(unit.stages.size() == 2, "two stages");
  const passline::StageResult& written = unit.stages.at(0);
  expect(written.cut && written.cut->to_string() == "81", "written cut 81");
  expect(written.passed == 17, "17 written passers");
  expect(written.programs.at(0).additional == 2, "2 additional written passes");
  expect(written.programs.at(0).shortfall == 1, "written shortfall 1");
  expect(written.programs.at(0).stopped_by == passline::StoppedBy::threshold,
         "written stopped by the threshold");
  const passline::StageResult& interview = unit.stages.at(1);
  expect(interview.threshold && interview.threshold->to_string() == "75", "interview threshold 75");
  expect(unit.hires == 8, "8 hires");
  expect(unit.group_hires.size() == 1 && unit.group_hires[0] == 2, "2 local hires");

  const std::string json = passline::decision_to_json(*parsed, *decision);
  expect(json.find("\"hires\": 8") != std::string::npos, "the JSON says 8 hires");

  std::printf("consumer: %s decided: cut %s, %lld hires, %lld local; %s\n",
              decision->recruitment.c_str(), written.cut ? written.cut->to_string().c_str() : "-",
              static_cast<long long>(unit.hires),
              static_cast<long long>(unit.group_hires.empty() ? -1 : unit.group_hires[0]),
              failures == 0 ? "as expected" : "NOT as expected");
  return failures == 0 ? 0 : 1;
}
