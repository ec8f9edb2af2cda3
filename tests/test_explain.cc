// explain(): the account a recruiter gives an applicant.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "passline/decision.h"
#include "passline/explain.h"
#include "passline/json.h"
#include "passline/rule_pack.h"
#include "support.h"

using namespace passline;

namespace {
std::string explain_text(const std::string& case_json, const std::string& id, Language lang) {
  auto c = parse_case_json(case_json);
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  auto text = explain(*c, *d, id, lang);
  REQUIRE(text.ok());
  return *text;
}

const char* kMinPlanned = R"({"format":"quota-case/1",
  "agency":{"code":"A","region":"busan","designated":2018},
  "recruitment":{"id":"R","announced":"2022-03-02"},
  "programs":[{"id":"big-units","group":{"attribute":{"name":"t","equals":"y"}},"ratio":"50%",
               "min_planned":5}],
  "units":[{"id":"U","field":"f","planned":2,
    "stages":[{"name":"written","planned":10,"threshold":{"min_score":"0"}},
              {"name":"final","planned":2,"threshold":{"min_score":"0"}}],
    "applicants":[{"id":"A1","scores":{"written":"90","final":"80"},"attributes":{"t":"y"}}]}]})";
}  // namespace

TEST_CASE("min_planned is explained by the unit's planned hires, as decide() applies it") {
  // Found by fuzzing: explain compared the stage's planned (10) and printed "50% of 10".
  const std::string en = explain_text(kMinPlanned, "A1", Language::en);
  CHECK(en.find("target 0 (the unit's 2 planned hires are under min_planned 5)") !=
        std::string::npos);
  CHECK(en.find("50% of 10") == std::string::npos);
  const std::string ko = explain_text(kMinPlanned, "A1", Language::ko);
  CHECK(ko.find("최소 5명") != std::string::npos);
}

TEST_CASE("an unknown applicant is an error naming the applicant") {
  auto c = parse_case_json(kMinPlanned);
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  auto text = explain(*c, *d, "nobody", Language::en);
  REQUIRE_FALSE(text.ok());
  CHECK(text.error().code == "unknown_applicant");
}

namespace {
// The full text of explain() for examples/busan-two-stage.case.json, compared byte for byte
// with tests/golden/explain/, which was written by the explain.cc of before the message table.
std::string golden_explain(const std::string& id, Language lang) {
  const std::filesystem::path source = PASSLINE_SOURCE_DIR;
  auto c = parse_case_json(test::slurp(source / "examples" / "busan-two-stage.case.json"));
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  auto text = explain(*c, *d, id, lang);
  REQUIRE(text.ok());
  return *text;
}
}  // namespace

TEST_CASE("explain: the full account of busan-two-stage applicants is unchanged, ko and en") {
  // 003 outside the group below the cut, 005 disqualified, 007 added then not added (target met),
  // 017 added at both stages, 022 local stopped by the threshold, 028 tied at the cut.
  const std::filesystem::path dir =
      std::filesystem::path(PASSLINE_SOURCE_DIR) / "tests" / "golden" / "explain";
  for (const char* n : {"003", "005", "007", "017", "022", "028"}) {
    const std::string id = std::string("KAMCO-2023-") + n;
    for (const auto& [lang, suffix] :
         {std::pair{Language::ko, ".ko.txt"}, std::pair{Language::en, ".en.txt"}}) {
      const std::string expected = test::slurp(dir / ("busan-two-stage." + id + suffix));
      REQUIRE_FALSE(expected.empty());
      CHECK_MESSAGE(golden_explain(id, lang) == expected, id << suffix);
    }
  }
}
