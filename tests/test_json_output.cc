// The streamed decision document is byte for byte nlohmann::json's dump(1) of itself: sorted
// keys, one-space indent, escapes. Checked over the conformance cases and awkward strings.
#include <doctest/doctest.h>

#include "support.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "passline/decision.h"
#include "passline/json.h"
#include "passline/rule_pack.h"

using namespace passline;

namespace {
using passline::test::slurp;

void check_layout(const std::string& text) {
  const auto doc = nlohmann::json::parse(text);
  CHECK(doc.dump(1, ' ', false) + "\n" == text);
}
}  // namespace

TEST_CASE("decision documents have nlohmann's canonical dump(1) layout") {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(PASSLINE_CONFORMANCE_DIR)) {
    if (!e.path().string().ends_with(".case.json")) continue;
    CAPTURE(e.path().filename().string());
    auto c = parse_case_json(slurp(e.path()));
    if (!c.ok()) continue;  // the bad-decimal case
    auto d = decide(*c, bundled_rules());
    if (!d.ok()) continue;
    check_layout(decision_to_json(*c, *d));
    ++n;
  }
  CHECK(n >= 12);
}

TEST_CASE("strings are escaped as JSON requires, UTF-8 kept as is") {
  const std::string text = R"({"format":"quota-case/1",
    "agency":{"code":"A","region":"busan","designated":2018},
    "recruitment":{"id":"R \"q\" \\ 지역인재","announced":"2022-03-02"},
    "programs":[{"id":"z-prog","group":{"attribute":{"name":"t","equals":"x"}},"ratio":"0"},
                {"id":"a-prog\u0001","group":{"attribute":{"name":"t","equals":"y"}},"ratio":"0"}],
    "units":[{"id":"U\"","field":"f\t\n","planned":1,"stages":[{"name":"면접","planned":1}],
              "applicants":[{"id":"b","scores":{"면접":"1"}},{"id":"a","scores":{"면접":"2"}},
                            {"id":"가","scores":{"면접":null}}]},
             {"id":"empty","field":"f","planned":0,"stages":[{"name":"s","planned":0}]}]})";
  auto c = parse_case_json(text);
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  const std::string out = decision_to_json(*c, *d);
  check_layout(out);
  const auto doc = nlohmann::json::parse(out);
  CHECK(doc["recruitment"] == "R \"q\" \\ 지역인재");     // control characters: in no id (SPEC §6)
  CHECK(doc["units"][0]["applicants"][2]["id"] == "가");  // bytewise: a < b < 가
  CHECK(doc["units"][1]["applicants"].empty());
}

TEST_CASE("the sink receives the same bytes in pieces") {
  auto c = parse_case_json(
      slurp(std::filesystem::path(PASSLINE_CONFORMANCE_DIR) / "07-two-stages.case.json"));
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  std::string pieces;
  int calls = 0;
  write_decision_json(*c, *d, [&](std::string_view p) {
    pieces.append(p);
    ++calls;
  });
  CHECK(calls >= 1);
  CHECK(pieces == decision_to_json(*c, *d));
}

TEST_CASE("a sink that throws: the exception propagates and no byte is written twice") {
  auto c = parse_case_json(
      slurp(std::filesystem::path(PASSLINE_CONFORMANCE_DIR) / "02-exact-target.case.json"));
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  int calls = 0;
  CHECK_THROWS_AS(write_decision_json(*c, *d,
                                      [&](std::string_view) {
                                        ++calls;
                                        throw std::runtime_error("disk full");
                                      }),
                  std::runtime_error);
  CHECK(calls == 1);
}

TEST_CASE("a decision written with another case is refused, not read out of bounds") {
  auto dir = std::filesystem::path(PASSLINE_CONFORMANCE_DIR);
  auto c1 = parse_case_json(slurp(dir / "01-basic-shortfall.case.json"));
  auto c2 = parse_case_json(slurp(dir / "07-two-stages.case.json"));
  REQUIRE(c1.ok());
  REQUIRE(c2.ok());
  auto d1 = decide(*c1, bundled_rules());
  REQUIRE(d1.ok());
  CHECK_THROWS_AS(decision_to_json(*c2, *d1), std::invalid_argument);
}

namespace {
/// The applicants of `c`'s units in id order, as a store's pages hand them over.
DecidedApplicants applicants_of(const Case& c, const Decision& d) {
  return
      [&c, &d](std::size_t u, const std::function<void(const DecidedApplicant&)>& each) -> Status {
        const Unit& unit = c.units[u];
        std::vector<std::size_t> order(unit.applicants.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
          return unit.applicants[a].id < unit.applicants[b].id;
        });
        std::vector<StageOutcome> outcomes(unit.stages.size());
        for (std::size_t a : order) {
          for (std::size_t s = 0; s < unit.stages.size(); ++s)
            outcomes[s] = d.units[u].outcome(a, s);
          each(DecidedApplicant{unit.applicants[a].id, d.units[u].local[a], outcomes});
        }
        return {};
      };
}
}  // namespace

TEST_CASE("the paged writer prints the whole document's bytes from figures and applicants") {
  int n = 0;
  for (const char* dir : {PASSLINE_CONFORMANCE_DIR, PASSLINE_CONFORMANCE_V2_DIR}) {
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (!e.path().string().ends_with(".case.json")) continue;
      CAPTURE(e.path().string());
      auto c = parse_case_json(slurp(e.path()));
      if (!c.ok()) continue;
      auto d = decide(*c, bundled_rules());
      if (!d.ok()) continue;
      std::string out;
      auto ok = write_decision_json_paged(*d, applicants_of(*c, *d),
                                          [&](std::string_view p) { out.append(p); });
      REQUIRE(ok.ok());
      CHECK(out == decision_to_json(*c, *d));
      ++n;
    }
  }
  CHECK(n >= 20);
}

TEST_CASE("the paged writer stops at its source's error and at applicants out of id order") {
  auto c = parse_case_json(
      slurp(std::filesystem::path(PASSLINE_CONFORMANCE_DIR) / "07-two-stages.case.json"));
  REQUIRE(c.ok());
  auto d = decide(*c, bundled_rules());
  REQUIRE(d.ok());
  std::string out;
  auto sink = [&](std::string_view p) { out.append(p); };
  auto failed = write_decision_json_paged(
      *d,
      [](std::size_t, const std::function<void(const DecidedApplicant&)>&) -> Status {
        return make_error("storage", "", "the database went away");
      },
      sink);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code == "storage");

  auto reversed = write_decision_json_paged(
      *d,
      [&](std::size_t u, const std::function<void(const DecidedApplicant&)>& each) -> Status {
        std::vector<StageOutcome> none(c->units[u].stages.size());
        each(DecidedApplicant{"b", 0, none});
        each(DecidedApplicant{"a", 0, none});
        return {};
      },
      sink);
  REQUIRE_FALSE(reversed.ok());
  CHECK(reversed.error().code == "corrupt_row");
  CHECK(reversed.error().message.find("'a' is not after 'b'") != std::string::npos);
}
