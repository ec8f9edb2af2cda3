// The units-only read of a decision (GET /v1/recruitments/{id}/units, docs/HTTP.md): each unit
// exactly as the decision document prints it less its applicants, for quota-case/1 and /2,
// through every store (SQLite, PostgreSQL, memory); the decision read's access rules.
#include <doctest/doctest.h>

#include "http_support.h"
#include "passline/app/memory_store.h"
#include "passline/json.h"
#include "v2_cases.h"

namespace {

using nlohmann::json;
using passline::test::Backend;
using passline::test::Client;
using passline::test::Service;

/// The units of a decision document with their applicants taken out.
json units_without_applicants(const json& doc) {
  json units = json::array();
  for (json u : doc.at("units")) {
    u.erase("applicants");
    units.push_back(std::move(u));
  }
  return units;
}

/// Checks the units document of `decision` against the whole document of the same decision.
void check_units_document(const std::string& units_text, const std::string& document_text) {
  const json units = json::parse(units_text), doc = json::parse(document_text);
  CHECK(units.at("format") == "passline-decision-units/1");
  CHECK(units.at("decision_format") == doc.at("format"));
  CHECK(units.at("recruitment") == doc.at("recruitment"));
  CHECK(units.at("units") == units_without_applicants(doc));
  if (doc.contains("programs")) CHECK(units.at("programs") == doc.at("programs"));
  CHECK(units_text == units.dump(1) + "\n");  // the document's layout: dump(1), sorted keys
  for (const json& u : units.at("units")) CHECK_FALSE(u.contains("applicants"));
}

/// Two units, the second with a written stage before the final one (several stage rows).
passline::Case two_unit_case() {
  using namespace passline;
  Case c = test::make_case("R-U", "BUSAN-A", "office", 4, 30);
  Unit two = c.units[0];
  two.id = "U2";
  two.planned = 3;
  Stage written = two.stages[0];
  written.name = "written";
  written.planned = 9;
  written.threshold.min_score = Decimal::from_int(45);
  two.stages.insert(two.stages.begin(), written);
  two.stages[1].planned = 3;
  for (std::size_t i = 0; i < two.applicants.size(); ++i) {
    Applicant& a = two.applicants[i];
    a.id = "W" + std::to_string(i);
    a.scores.insert(a.scores.begin(),
                    Decimal::from_int(static_cast<std::int64_t>(40 + (i * 13) % 60)));
  }
  c.units.push_back(std::move(two));
  return c;
}

void check_v2_year_units(passline::app::Store& store) {
  passline::test::decide_v2_year(store);
  for (const auto& [agency, c] : passline::test::v2_year()) {
    CAPTURE(c.recruitment.id);
    auto whole = passline::app::load_decision(store, c.recruitment.id);
    REQUIRE(whole.ok());
    auto units = passline::app::decision_units(store, c.recruitment.id);
    REQUIRE(units.ok());
    CHECK(units->spec == passline::Spec::v2);
    for (const passline::UnitDecision& u : units->units) {
      CHECK(u.local.empty());
      CHECK(u.outcomes.empty());
    }
    check_units_document(passline::decision_units_to_json(*units),
                         passline::decision_to_json(whole->input, whole->decision));
  }
  auto missing = passline::app::decision_units(store, "NOBODY-1");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "unknown_recruitment");
}

}  // namespace

TEST_SUITE("http") {

STORAGE_TEST(http_units_are_the_decision_without_its_applicants) {
  Service svc(backend);
  Client c = svc.client();
  auto created = c.post("/v1/recruitments", svc.recruiter, passline::case_to_json(two_unit_case()));
  REQUIRE_MESSAGE(created.status == 201, created.body);

  auto early = c.get("/v1/recruitments/R-U/units", svc.recruiter);
  CHECK(early.status == 409);
  CHECK(early.json().at("code") == "not_decided");

  auto decided = c.post("/v1/recruitments/R-U/decide", svc.recruiter, "");
  REQUIRE_MESSAGE(decided.status == 200, decided.body);
  const std::string doc = c.get("/v1/recruitments/R-U/decisions", svc.auditor).body;
  for (const std::string* token : {&svc.recruiter, &svc.auditor}) {
    auto r = c.get("/v1/recruitments/R-U/units", *token);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.content_type.rfind("application/json", 0) == 0);
    check_units_document(r.body, doc);
    CHECK(r.body.size() * 3 < doc.size());
    CHECK(json::parse(r.body).at("units").size() == 2);
    CHECK(json::parse(r.body).at("units")[1].at("stages").size() == 2);
  }

  // Another agency's recruiter: the same 404 as a recruitment that does not exist.
  auto hidden = c.get("/v1/recruitments/R-U/units", svc.other_recruiter);
  auto missing = c.get("/v1/recruitments/R-NONE/units", svc.other_recruiter);
  CHECK(hidden.status == 404);
  CHECK(missing.status == 404);
  CHECK(hidden.json().at("code") == "unknown_recruitment");
  CHECK(missing.json().at("code") == "unknown_recruitment");
  CHECK(hidden.json().at("path") == missing.json().at("path"));
  CHECK(hidden.body.find("BUSAN-A") == std::string::npos);
  CHECK(c.get("/v1/recruitments/R-U/units", svc.admin).status == 403);
  CHECK(c.get("/v1/recruitments/R-U/units").status == 401);
  auto query = c.get("/v1/recruitments/R-U/units?page_size=10", svc.auditor);
  CHECK(query.status == 400);
  CHECK(query.json().at("code") == "bad_query");
  CHECK(c.post("/v1/recruitments/R-U/units", svc.recruiter, "").status == 405);
}

STORAGE_TEST(storage_decision_units_of_quota_case_2) {
  passline::test::TestDb db(backend);
  auto store = db.open_initialised();
  check_v2_year_units(*store);
}

TEST_CASE("memory.storage_decision_units_of_quota_case_2") {
  auto store = passline::app::make_memory_store();
  check_v2_year_units(*store);
}

}  // TEST_SUITE
