// quota-case/2 (SPEC.md): documents round trip, the log reads them back and replays them, the
// law binds programs the case cannot drop or redefine, and the agency_year target is the least
// t of SPEC §4 step 4.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "detail/steps.h"  // agency_year_target, an internal step checked against brute force
#include "passline/canonical_json.h"
#include "passline/decision.h"
#include "passline/json.h"
#include "passline/log.h"
#include "passline/rule_pack.h"
#include "support.h"

using namespace passline;
using passline::test::slurp;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> v2_cases() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(PASSLINE_CONFORMANCE_V2_DIR))
    if (e.path().string().ends_with(".case.json")) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

nlohmann::json case_01() {
  return nlohmann::json::parse(
      slurp(fs::path(PASSLINE_CONFORMANCE_V2_DIR) / "01-law-assigns-programs.case.json"));
}

Result<Decision> decide_text(const std::string& text) {
  auto c = parse_case_json(text);
  if (!c.ok()) return std::move(c).error();
  return decide(*c, bundled_rules());
}

}  // namespace

TEST_CASE("quota-case/2: every deciding vector round trips, logs, reads back and replays") {
  int n = 0;
  for (const auto& path : v2_cases()) {
    CAPTURE(path.filename().string());
    auto c = parse_case_json(slurp(path));
    if (!c.ok()) continue;
    auto d = decide(*c, bundled_rules());
    if (!d.ok()) continue;
    const std::string once = case_to_json(*c);
    auto again = parse_case_json(once);
    REQUIRE_MESSAGE(again.ok(), again.error().code << " " << again.error().path);
    CHECK(again->spec == Spec::v2);
    CHECK(case_to_json(*again) == once);
    auto d2 = decide(*again, bundled_rules());
    REQUIRE(d2.ok());
    CHECK(decision_to_json(*c, *d) == decision_to_json(*again, *d2));

    LogContext ctx;
    ctx.decided_at = "2026-12-01T12:00:00Z";
    const auto entries = log_entries(*c, *d, ctx);
    auto read = read_log_entries(entries, 0);
    REQUIRE_MESSAGE(read.ok(),
                    read.error().code << " " << read.error().path << " " << read.error().message);
    REQUIRE(read->size() == 1);
    CHECK(case_to_json(read->front().input) == once);
    const ReplayResult r = replay(read->front(), bundled_rules());
    CHECK_MESSAGE(!r.error, (r.error ? r.error->code + " " + r.error->message : ""));
    CHECK(r.ok());
    ++n;
  }
  CHECK(n >= 16);
}

TEST_CASE("quota-case/2: an edited logged outcome is a difference at its entry") {
  auto c = parse_case_json(case_01().dump());
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  auto entries = log_entries(*c, *d, LogContext{});
  auto j = nlohmann::json::parse(entries[12]);  // an applicant
  j["outcomes"][0]["outcome"] = "fail_below_cut";
  entries[12] = *canonical_json(j.dump());
  auto read = read_log_entries(entries, 0);
  REQUIRE(read.ok());
  const ReplayResult r = replay(read->front(), bundled_rules());
  REQUIRE(r.first_difference);
  CHECK(*r.first_difference == 12);
}

TEST_CASE("quota-case/2: the case cannot drop or redefine a program the law binds") {
  // The spoof of issue 10: an inline kr-innovation-city at 0%.
  nlohmann::json doc = case_01();
  doc["programs"] =
      nlohmann::json::array({{{"id", "kr-innovation-city"},
                              {"group", {{"attribute", {{"name", "x"}, {"equals", true}}}}},
                              {"ratio", "0%"},
                              {"rounding", "floor"}}});
  auto spoof = decide_text(doc.dump());
  REQUIRE_FALSE(spoof.ok());
  CHECK(spoof.error().code == "program_assigned_by_law");
  CHECK(spoof.error().path == "programs[0]");
  // An inline program reusing the id of a pack that does not bind this agency: still refused.
  doc["agency"]["innovation_city"] = nullptr;
  doc["agency"]["public_institution"] = false;
  CHECK(decide_text(doc.dump()).error().code == "program_assigned_by_law");
  // An empty `programs` does not drop the law: both programs are in force.
  doc = case_01();
  auto d = decide_text(doc.dump());
  REQUIRE(d.ok());
  REQUIRE(d->programs.size() == 2);
  CHECK(d->programs[0].source == ProgramSource::law);
  CHECK(d->programs[1].source == ProgramSource::law);
  // Claiming an exemption from a program not in force.
  doc["units"][0]["exemptions"] = {{"kr-other", nlohmann::json::array({"small_field"})}};
  auto claim = decide_text(doc.dump());
  REQUIRE_FALSE(claim.ok());
  CHECK(claim.error().code == "unknown_program");
  CHECK(claim.error().path == "units[0].exemptions.kr-other");
  // A claim the program does not recognise (doctorate is kr-nonmetro-35's, not the city's).
  doc["units"][0]["exemptions"] = {{"kr-innovation-city", nlohmann::json::array({"doctorate"})}};
  auto unrecognised = decide_text(doc.dump());
  REQUIRE_FALSE(unrecognised.ok());
  CHECK(unrecognised.error().code == "exemption_not_recognized");
  CHECK(unrecognised.error().path == "units[0].exemptions.kr-innovation-city[0]");
}

TEST_CASE("quota-case/2: agency facts are checked (SPEC §2)") {
  struct Bad {
    const char* pointer;
    nlohmann::json value;
    const char* code;
    const char* path;
  };
  const Bad bad[] = {
      {"/agency/innovation_city/cohort", 2019, "invalid_value", "agency.innovation_city.cohort"},
      {"/agency/innovation_city/since", "2018-01-24", "invalid_value",
       "agency.innovation_city.since"},
      {"/agency/innovation_city/joint_city", true, "invalid_value",
       "agency.innovation_city.joint_city"},
      {"/agency/region", "seoul", "agency_not_covered", "agency.region"},
      {"/agency/region", "jeonnam_gwangju", "unknown_region", "agency.region"},
      {"/agency/code", "a/b", "bad_id", "agency.code"},
      {"/agency/designated", 2018, "unknown_key", "agency.designated"},
      {"/format", "quota-case/3", "unsupported_format", "format"},
  };
  for (const Bad& b : bad) {
    CAPTURE(b.pointer);
    nlohmann::json doc = case_01();
    doc[nlohmann::json::json_pointer(b.pointer)] = b.value;
    auto d = decide_text(doc.dump());
    REQUIRE_FALSE(d.ok());
    CHECK(d.error().code == b.code);
    CHECK(d.error().path == b.path);
  }
  // After the merger, jeonnam_gwangju is a region.
  nlohmann::json doc = case_01();
  doc["agency"]["region"] = "jeonnam_gwangju";
  doc["recruitment"]["announced"] = "2026-07-01";
  CHECK(decide_text(doc.dump()).ok());
}

TEST_CASE("quota-case/2: the agency_year target is the least t of SPEC §4, by brute force too") {
  // Compare the bisection with a plain search over a grid of H, L, P, have.
  Program p;
  p.id = "x";
  p.scope = Scope::agency_year;
  p.rounding = Rounding::ceil;
  for (const char* ratio : {"0.35", "0.3", "0.05", "0.99"}) {
    p.ratio = *Ratio::parse(ratio);
    for (std::int64_t h = 0; h <= 40; h += 7)
      for (std::int64_t l = 0; l <= h; l += 3)
        for (std::int64_t passers = 0; passers <= 12; passers += 3)
          for (std::int64_t have = 0; have <= passers; have += 2) {
            std::int64_t t = 0;
            while (l + t <
                   p.ratio.apply(h + passers + std::max<std::int64_t>(0, t - have), p.rounding))
              ++t;
            CAPTURE(ratio);
            CAPTURE(h);
            CAPTURE(l);
            CAPTURE(passers);
            CAPTURE(have);
            CHECK(detail::agency_year_target(p, h, l, passers, have) == t);
          }
  }
}
