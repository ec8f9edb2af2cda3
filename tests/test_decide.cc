// decide() against SPEC.md §4–6: the shared conformance cases through the library, and the
// rules the conformance cases do not reach.
#include <doctest/doctest.h>

#include "support.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "passline/decision.h"
#include "passline/json.h"
#include "passline/rule_pack.h"

using namespace passline;
using nlohmann::json;

namespace {

using passline::test::slurp;

/// Decides a case document; the decision or error document as JSON.
json run(const std::string& case_text) {
  auto c = parse_case_json(case_text);
  if (!c.ok()) return json::parse(error_to_json(c.error()));
  auto d = decide(*c, bundled_rules());
  if (!d.ok()) return json::parse(error_to_json(d.error()));
  return json::parse(decision_to_json(*c, *d));
}

/// True when every key and value of `expected` is present and equal in `got`.
bool conforms(const json& expected, const json& got, std::string& where) {
  if (expected.is_object()) {
    if (!got.is_object()) return false;
    for (const auto& [k, v] : expected.items()) {
      if (!got.contains(k)) {
        where += "." + k;
        return false;
      }
      std::string w = where + "." + k;
      if (!conforms(v, got[k], w)) {
        where = w;
        return false;
      }
    }
    return true;
  }
  if (expected.is_array()) {
    if (!got.is_array() || got.size() != expected.size()) return false;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      std::string w = where + "[" + std::to_string(i) + "]";
      if (!conforms(expected[i], got[i], w)) {
        where = w;
        return false;
      }
    }
    return true;
  }
  return expected == got;
}

/// A one-unit case with one stage "final" of `planned`, Busan agency, 2022.
json base_case(int planned) {
  return json{{"format", "quota-case/1"},
              {"agency", {{"code", "AG"}, {"region", "busan"}, {"designated", 2018}}},
              {"recruitment", {{"id", "R"}, {"announced", "2022-03-02"}}},
              {"programs", json::array({"kr-innovation-city"})},
              {"units",
               json::array({{{"id", "U1"},
                             {"field", "office"},
                             {"planned", planned},
                             {"stages", json::array({{{"name", "final"},
                                                      {"planned", planned},
                                                      {"threshold", {{"min_score", "50"}}}}})},
                             {"applicants", json::array()}}})}};
}

void add_applicant(json& c, const std::string& id, const std::string& region,
                   const std::string& score) {
  c["units"][0]["applicants"].push_back(
      {{"id", id},
       {"education",
        json::array({{{"level", "university"}, {"region", region}, {"status", "graduated"}}})},
       {"scores", {{"final", score}}}});
}

}  // namespace

TEST_CASE("conformance cases decided through the library") {
  const std::filesystem::path dir = PASSLINE_CONFORMANCE_DIR;
  REQUIRE(std::filesystem::is_directory(dir));
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".case.json")) continue;
    const std::string stem = name.substr(0, name.size() - std::string(".case.json").size());
    CAPTURE(stem);
    const json expected = json::parse(slurp(dir / (stem + ".expected.json")));
    const json got = run(slurp(entry.path()));
    std::string where = "$";
    CHECK_MESSAGE(conforms(expected, got, where), "first difference at " << where);
    ++count;
  }
  CHECK(count >= 14);
}

TEST_CASE("a stage that needs additional passes without a threshold is refused") {
  json c = base_case(2);
  c["units"][0]["stages"][0].erase("threshold");
  add_applicant(c, "A1", "seoul", "90");
  add_applicant(c, "A2", "seoul", "80");
  add_applicant(c, "A3", "busan", "70");
  const json got = run(c.dump());
  CHECK(got["error"]["code"] == "threshold_missing");
  CHECK(got["error"]["path"] == "units[0].stages[0].threshold");
}

TEST_CASE("no threshold is fine when no additional pass is needed") {
  json c = base_case(2);
  c["units"][0]["stages"][0].erase("threshold");
  add_applicant(c, "A1", "busan", "90");
  add_applicant(c, "A2", "seoul", "80");
  const json got = run(c.dump());
  REQUIRE(got.contains("units"));
  CHECK(got["units"][0]["stages"][0]["threshold"].is_null());
}

TEST_CASE("below_cut and min_score: the higher floor applies") {
  json c = base_case(1);
  c["units"][0]["stages"][0]["threshold"] = {{"min_score", "50"}, {"below_cut", "5.5"}};
  add_applicant(c, "A1", "seoul", "90");
  add_applicant(c, "A2", "busan", "84.5");
  add_applicant(c, "A3", "busan", "84.4");
  json got = run(c.dump());
  CHECK(got["units"][0]["stages"][0]["threshold"] == "84.5");
  CHECK(got["units"][0]["stages"][0]["programs"][0]["additional"] == 1);
  c["units"][0]["stages"][0]["threshold"] = {{"min_score", "86"}, {"below_cut", "5.5"}};
  got = run(c.dump());
  CHECK(got["units"][0]["stages"][0]["threshold"] == "86");
  CHECK(got["units"][0]["stages"][0]["programs"][0]["stopped_by"] == "threshold");
}

TEST_CASE("errors name the field and the problem") {
  SUBCASE("unknown region of an applicant") {
    json c = base_case(1);
    add_applicant(c, "A1", "pyongyang", "90");
    const json got = run(c.dump());
    CHECK(got["error"]["code"] == "unknown_region");
    CHECK(got["error"]["path"] == "units[0].applicants[0].education[0].region");
  }
  SUBCASE("duplicate applicant") {
    json c = base_case(1);
    add_applicant(c, "A1", "seoul", "90");
    add_applicant(c, "A1", "seoul", "80");
    const json got = run(c.dump());
    CHECK(got["error"]["code"] == "duplicate_applicant");
    CHECK(got["error"]["path"] == "units[0].applicants[1].id");
  }
  SUBCASE("a score given as a JSON number") {
    json c = base_case(1);
    add_applicant(c, "A1", "seoul", "90");
    c["units"][0]["applicants"][0]["scores"]["final"] = 90.5;
    CHECK(run(c.dump())["error"]["code"] == "bad_decimal");
  }
  SUBCASE("capital-region agency") {
    json c = base_case(1);
    c["agency"]["region"] = "gyeonggi";
    const json got = run(c.dump());
    CHECK(got["error"]["code"] == "agency_not_covered");
    CHECK(got["error"]["path"] == "agency.region");
  }
  SUBCASE("announced before the law") {
    json c = base_case(1);
    c["recruitment"]["announced"] = "2018-01-24";
    CHECK(run(c.dump())["error"]["code"] == "no_rule_in_force");
  }
  SUBCASE("a year before the agency's cohort") {
    json c = base_case(1);
    c["agency"]["designated"] = 2020;
    c["recruitment"]["announced"] = "2019-06-01";
    CHECK(run(c.dump())["error"]["code"] == "no_rule_in_force");
  }
  SUBCASE("non-capital 35% before 2024-08-14") {
    json c = base_case(1);
    c["programs"] = json::array({"kr-nonmetro-35"});
    c["recruitment"]["announced"] = "2024-08-13";
    CHECK(run(c.dump())["error"]["code"] == "no_rule_in_force");
    c["recruitment"]["announced"] = "2024-08-14";
    CHECK(run(c.dump()).contains("units"));
  }
  SUBCASE("unknown program") {
    json c = base_case(1);
    c["programs"] = json::array({"kr-nothing"});
    const json got = run(c.dump());
    CHECK(got["error"]["code"] == "unknown_program");
    CHECK(got["error"]["path"] == "programs[0]");
  }
  SUBCASE("last stage planned differs from the unit's") {
    json c = base_case(1);
    c["units"][0]["planned"] = 2;
    const json got = run(c.dump());
    CHECK(got["error"]["code"] == "planned_mismatch");
    CHECK(got["error"]["path"] == "units[0].stages[0].planned");
  }
  SUBCASE("score for a stage the unit does not have") {
    json c = base_case(1);
    add_applicant(c, "A1", "seoul", "90");
    c["units"][0]["applicants"][0]["scores"]["finale"] = "1";
    const json got = run(c.dump());
    CHECK(got["error"]["code"] == "unknown_stage");
    CHECK(got["error"]["path"] == "units[0].applicants[0].scores.finale");
  }
  SUBCASE("missing field") {
    json c = base_case(1);
    c["units"][0].erase("field");
    const json got = run(c.dump());
    CHECK(got["error"]["code"] == "missing_field");
    CHECK(got["error"]["path"] == "units[0].field");
  }
  SUBCASE(
      "a number too large for any type is malformed JSON, with its position (found by fuzzing)") {
    json got = run("1e999");
    CHECK(got["error"]["code"] == "malformed_json");
    CHECK(got["error"]["path"] == "line 1, column 1");
    got = run("{\"format\": \"quota-case/1\",\n \"agency\": {\"designated\": 1e400}}");
    CHECK(got["error"]["code"] == "malformed_json");
    CHECK(got["error"]["path"] == "line 2, column 27");
  }
  SUBCASE("malformed JSON reports line and column") {
    const json got = run("{\n  \"format\": \"quota-case/1\",\n  oops\n}");
    CHECK(got["error"]["code"] == "malformed_json");
    CHECK(got["error"]["path"] == "line 3, column 3");
  }
}

TEST_CASE("exemptions are checked against the data (SPEC §5)") {
  auto with_claim = [](const std::string& claim) {
    json c = base_case(10);
    c["units"][0]["exemptions"] = json::array({claim});
    add_applicant(c, "A1", "seoul", "90");
    add_applicant(c, "A2", "busan", "60");
    return c;
  };
  SUBCASE("experienced") {
    json c = with_claim("experienced");
    CHECK(run(c.dump())["error"]["code"] == "exemption_not_supported");
    c["units"][0]["requires_experience"] = true;
    CHECK(run(c.dump())["units"][0]["exempt"] == "experienced");
  }
  SUBCASE("research_masters") {
    json c = with_claim("research_masters");
    c["units"][0]["min_degree"] = "bachelors";
    CHECK(run(c.dump())["error"]["code"] == "exemption_not_supported");
    c["units"][0]["min_degree"] = "doctorate";
    CHECK(run(c.dump())["units"][0]["exempt"] == "research_masters");
  }
  SUBCASE("regional_branch") {
    json c = with_claim("regional_branch");
    c["units"][0]["branch_region"] = "busan";
    CHECK(run(c.dump())["error"]["code"] == "exemption_not_supported");
    c["units"][0]["branch_region"] = "jeju";
    CHECK(run(c.dump())["units"][0]["exempt"] == "regional_branch");
  }
  SUBCASE("applicant_share") {
    json c = with_claim("applicant_share");  // 1 of 2 local > 30%
    CHECK(run(c.dump())["error"]["code"] == "exemption_not_supported");
    for (int i = 0; i < 3; ++i) add_applicant(c, "B" + std::to_string(i), "seoul", "70");
    CHECK(run(c.dump())["units"][0]["exempt"] == "applicant_share");  // 1 of 5 = 20%
  }
  SUBCASE("an unknown claim") {
    CHECK(run(with_claim("friendly").dump())["error"]["code"] == "exemption_not_supported");
  }
  SUBCASE("an exempt unit is decided by rank with targets 0") {
    json c = with_claim("experienced");
    c["units"][0]["requires_experience"] = true;
    const json got = run(c.dump());
    CHECK(got["units"][0]["stages"][0]["programs"][0]["target"] == 0);
  }
}

TEST_CASE("agency_year scope counts the year's prior hires at the last stage") {
  json c = base_case(10);
  c["programs"] =
      json::array({json{{"id", "yearly"},
                        {"group", {{"attribute", {{"name", "track"}, {"equals", "local"}}}}},
                        {"ratio", "30%"},
                        {"rounding", "ceil"},
                        {"scope", "agency_year"}}});
  c["ledger"] = {
      {"prior",
       json::array({{{"field", "office"}, {"hires", 20}, {"group_hires", {{"yearly", 4}}}},
                    {{"field", "tech"}, {"hires", 10}, {"group_hires", {{"yearly", 2}}}}})}};
  for (int i = 0; i < 20; ++i) {
    add_applicant(c, "A" + std::to_string(10 + i), "seoul", std::to_string(99 - i));
    if (i >= 10) c["units"][0]["applicants"][i]["attributes"] = {{"track", "local"}};
  }
  // target = ceil((30 + 10) × 0.3) − 6 = 12 − 6 = 6
  const json got = run(c.dump());
  CHECK(got["units"][0]["stages"][0]["programs"][0]["target"] == 6);
  CHECK(got["units"][0]["stages"][0]["programs"][0]["additional"] == 6);
  CHECK(got["units"][0]["hires"] == 16);
}

TEST_CASE("min_planned: units with fewer planned hires get target 0") {
  json c = base_case(3);
  c["programs"] =
      json::array({json{{"id", "big-only"},
                        {"group", {{"attribute", {{"name", "track"}, {"equals", "local"}}}}},
                        {"ratio", "0.5"},
                        {"min_planned", 5}}});
  add_applicant(c, "A1", "seoul", "90");
  const json got = run(c.dump());
  CHECK(got["units"][0]["stages"][0]["programs"][0]["target"] == 0);
}

TEST_CASE("an inline education program with explicit regions") {
  json c = base_case(2);
  c["programs"] = json::array(
      {json{{"id", "jeju-only"},
            {"group",
             {{"education",
               {{"levels", {"university"}}, {"statuses", {"graduated"}}, {"regions", {"jeju"}}}}}},
            {"ratio", "50%"}}});
  add_applicant(c, "A1", "seoul", "90");
  add_applicant(c, "A2", "seoul", "85");
  add_applicant(c, "A3", "jeju", "60");
  const json got = run(c.dump());
  CHECK(got["units"][0]["applicants"][2]["stages"][0]["basis"] == "additional");
  CHECK(got["units"][0]["applicants"][2]["local"]["jeju-only"] == true);
}

TEST_CASE("a case built in C++ with an id that is not UTF-8 is refused, not printed") {
  auto parsed = parse_case_json(base_case(1).dump());
  REQUIRE(parsed.ok());
  Case c = *parsed;
  Applicant a;
  a.id = std::string("A\xff", 2);
  a.scores.emplace_back(Decimal::parse("90"));
  c.units[0].applicants.push_back(a);
  auto d = decide(c, bundled_rules());
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "bad_id");  // the one rule for ids: valid UTF-8 among the rest
  CHECK(d.error().path == "units[0].applicants[0].id");
}
