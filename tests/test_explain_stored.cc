// The account of a stored decided recruitment (app/explanation.h): through the application layer
// over the in-memory store, `passline explain --recruitment` on SQLite, and the HTTP route
// GET /v1/recruitments/{id}/applicants/{applicant}/explanation on SQLite and PostgreSQL.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "http_support.h"
#include "passline/app/agencies.h"
#include "passline/app/explanation.h"
#include "passline/app/memory_store.h"
#include "passline/app/recruitments.h"
#include "passline/explain.h"
#include "passline/json.h"
#include "storage_support.h"

namespace {

namespace fs = std::filesystem;
namespace app = passline::app;
using namespace passline;
using nlohmann::json;
using test::Run;
using test::run_cli;
using test::slurp;
using test::spit;
using test::TempDir;

const fs::path kV2 = PASSLINE_CONFORMANCE_V2_DIR;
const fs::path kSource = PASSLINE_SOURCE_DIR;

Case v2_case(const std::string& name) {
  auto c = parse_case_json(slurp(kV2 / (name + ".case.json")));
  REQUIRE(c.ok());
  return std::move(c).value();
}

app::AgencyRecord record_of(const Agency& a, const std::string& source) {
  app::AgencyRecord r;
  r.agency = a;
  r.name_ko = "기관 " + a.code;
  r.source = source;
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// The stored account and the file's account differ in one line only: where the agency's facts
// come from (the registry's record, or the case file).
void check_same_but_agency_source(const std::string& stored, const std::string& direct,
                                  const std::string& source) {
  const auto a = lines_of(stored), b = lines_of(direct);
  REQUIRE(a.size() == b.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    ++differing;
    CHECK_MESSAGE(a[i].find(source) != std::string::npos, a[i]);
    CHECK(a[i].rfind("  Agency ", 0) == 0);
  }
  CHECK(differing == 1);
}

}  // namespace

TEST_SUITE("explain stored") {

TEST_CASE("memory: a stored quota-case/2 recruitment is explained as it was decided") {
  auto store = app::make_memory_store();
  // Case 20's agency (a public institution in Chungnam: kr-nonmetro-35, agency_year), stored
  // without its ledger.prior: the store's ledger is the prior.
  Case first = v2_case("20-agency-year-ledger-two-units");
  first.ledger.clear();
  first.recruitment.id = "R20-1";
  REQUIRE(app::register_agency(*store, record_of(first.agency, "지정 고시 (test)")).ok());
  REQUIRE(app::import_case(*store, first).ok());
  REQUIRE(app::decide(*store, "R20-1", bundled_rules()).ok());

  // A second recruitment of the year: its unit's target counts the first one's obligated hires.
  Case second = first;
  second.recruitment.id = "R20-2";
  second.units.erase(second.units.begin());  // U2 only
  REQUIRE(app::import_case(*store, second).ok());
  auto prior = app::ledger(*store, second.agency.code, second.recruitment.announced.year);
  REQUIRE(prior.ok());
  std::int64_t h = 0, l = 0;
  for (const LedgerEntry& e : *prior) {
    h += e.obligated.count("kr-nonmetro-35") ? e.obligated.at("kr-nonmetro-35") : 0;
    l += e.group_hires.count("kr-nonmetro-35") ? e.group_hires.at("kr-nonmetro-35") : 0;
  }
  REQUIRE(h > 0);
  REQUIRE(app::decide(*store, "R20-2", bundled_rules()).ok());

  auto stored = app::explain_applicant(*store, "R20-2", "C04", bundled_rules(), Language::en);
  REQUIRE_MESSAGE(stored.ok(), stored.error().code << " " << stored.error().message);
  // The same account as the case file decided with that ledger, bar the agency's source.
  Case direct = second;
  direct.ledger = *prior;
  auto d = decide(direct, bundled_rules());
  REQUIRE(d.ok());
  auto file = explain(direct, *d, bundled_rules(), "C04", ExplainOptions{Language::en});
  REQUIRE(file.ok());
  check_same_but_agency_source(stored->text, *file, "source: 지정 고시 (test)");
  const std::string year =
      "H = " + std::to_string(h) + " (ledger " + std::to_string(h) +
      " + this case's earlier units 0), of them in the group L = " + std::to_string(l) +
      " (ledger " + std::to_string(l);
  CHECK_MESSAGE(stored->text.find(year) != std::string::npos, stored->text);
  for (const ExplanationLine& line : stored->lines) CHECK((line.indent == 0 || line.is_step()));

  // The errors of the use case.
  auto unknown = app::explain_applicant(*store, "R20-2", "NOBODY", bundled_rules(), Language::ko);
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == "unknown_applicant");
  auto missing = app::explain_applicant(*store, "R-NONE", "C04", bundled_rules(), Language::ko);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "unknown_recruitment");
  Case third = second;
  third.recruitment.id = "R20-3";
  REQUIRE(app::import_case(*store, third).ok());
  auto undecided = app::explain_applicant(*store, "R20-3", "C04", bundled_rules(), Language::ko);
  REQUIRE_FALSE(undecided.ok());
  CHECK(undecided.error().code == "not_decided");
  auto no_rules = app::explain_applicant(*store, "R20-2", "C04", RuleRegistry{}, Language::ko);
  REQUIRE_FALSE(no_rules.ok());
  CHECK(no_rules.error().code == "unknown_rule_digest");
}

TEST_CASE("memory: a stored quota-case/1 recruitment is explained as its file always was") {
  auto store = app::make_memory_store();
  auto c = parse_case_json(slurp(kSource / "examples/busan-two-stage.case.json"));
  REQUIRE(c.ok());
  REQUIRE(app::import_case(*store, *c).ok());
  REQUIRE(app::decide(*store, c->recruitment.id, bundled_rules()).ok());
  for (const auto& [lang, suffix] :
       {std::pair{Language::ko, ".ko.txt"}, std::pair{Language::en, ".en.txt"}}) {
    auto stored =
        app::explain_applicant(*store, c->recruitment.id, "KAMCO-2023-022", bundled_rules(), lang);
    REQUIRE(stored.ok());
    CHECK(stored->text == slurp(kSource / "tests/golden/explain" /
                                (std::string("busan-two-stage.KAMCO-2023-022") + suffix)));
  }
}

TEST_CASE("cli: passline explain --recruitment on a stored quota-case/2 recruitment") {
  TempDir d;
  const std::string db = "sqlite:" + (d.path / "p.db").string();
  const std::string file = (kV2 / "10-joint-city.case.json").string();
  REQUIRE(run_cli({"db", "init", "--db", db}).exit == 0);
  REQUIRE(run_cli({"agency", "add", "--code", "AG-JEONNAM", "--region", "jeonnam", "--name-ko",
                   "전남 기관", "--innovation-cohort", "2018", "--innovation-since", "2018-01-25",
                   "--joint-city", "--source", "혁신도시 이전 (test)", "--db", db})
              .exit == 0);
  REQUIRE(run_cli({"import", file, "--db", db}).exit == 0);
  const std::string id = json::parse(slurp(file)).at("recruitment").at("id");

  Run early = run_cli({"explain", "--recruitment", id, "--applicant", "A13", "--db", db});
  CHECK(early.exit == 2);
  CHECK_MESSAGE(early.err.find("not_decided") != std::string::npos, early.err);
  REQUIRE(run_cli({"decide", "--recruitment", id, "--db", db}).exit == 0);

  for (const char* lang : {"ko", "en"}) {
    Run stored =
        run_cli({"explain", "--recruitment", id, "--applicant", "A13", "--lang", lang, "--db", db});
    REQUIRE_MESSAGE(stored.exit == 0, stored.err);
    Run direct = run_cli({"explain", file, "--applicant", "A13", "--lang", lang});
    REQUIRE_MESSAGE(direct.exit == 0, direct.err);
    CHECK(stored.out.find("kr-innovation-city 2018-01-25.v2 · group.joint_city") !=
          std::string::npos);
    const auto a = lines_of(stored.out), b = lines_of(direct.out);
    REQUIRE(a.size() == b.size());
    std::size_t differing = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) {
        ++differing;
        CHECK(a[i].find("혁신도시 이전 (test)") != std::string::npos);
      }
    CHECK(differing == 1);
  }

  Run nobody = run_cli({"explain", "--recruitment", id, "--applicant", "Z9", "--db", db});
  CHECK(nobody.exit == 2);
  CHECK(nobody.err.find("unknown_applicant") != std::string::npos);
  Run unknown = run_cli({"explain", "--recruitment", "NOPE", "--applicant", "A13", "--db", db});
  CHECK(unknown.exit == 2);
  CHECK(unknown.err.find("unknown_recruitment") != std::string::npos);
  // Usage: a file and --recruitment together, --db without --recruitment, no --applicant.
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"explain", file, "--recruitment", id, "--applicant", "A13"},
           {"explain", file, "--applicant", "A13", "--db", db},
           {"explain", "--recruitment", id, "--db", db},
       }) {
    Run r = run_cli(args);
    CHECK(r.exit == 64);
    CHECK(r.err.find("usage: passline explain") != std::string::npos);
  }

  // A log entry altered after the fact: the logged case decided again does not give the logged
  // entries, and nothing is explained.
  {
    auto parsed = sql::parse_database_url(db);
    soci::session s(parsed->soci_backend, parsed->connect_string);
    std::string entry;
    s << "SELECT entry FROM log_entries WHERE recruitment = :r AND applicant = 'A13'",
        soci::use(id), soci::into(entry);
    const auto at = entry.find("\"pass_additional\"");
    REQUIRE(at != std::string::npos);
    entry.replace(at, std::string("\"pass_additional\"").size(), "\"fail_below_cut\"");
    s << "UPDATE log_entries SET entry = :e WHERE recruitment = :r AND applicant = 'A13'",
        soci::use(entry), soci::use(id);
  }
  Run tampered = run_cli({"explain", "--recruitment", id, "--applicant", "A13", "--db", db});
  CHECK(tampered.exit == 1);
  CHECK_MESSAGE(tampered.err.find("replay_differs") != std::string::npos, tampered.err);
  CHECK(tampered.out.empty());
}

STORAGE_TEST(http_explanation_of_a_stored_quota_case_2_recruitment) {
  test::Service svc(backend);
  test::Client c = svc.client();
  // Case 01 as agency BUSAN-A (the service's recruiter): both programs bind by law.
  json v2 = json::parse(slurp(kV2 / "01-law-assigns-programs.case.json"));
  v2["agency"]["code"] = "BUSAN-A";
  json agency = v2["agency"];
  agency["name_ko"] = "부산 기관";
  agency["source"] = "혁신도시 이전 (test)";
  REQUIRE(c.request("PUT", "/v1/agencies/BUSAN-A", svc.admin, agency.dump()).status == 201);
  REQUIRE(c.post("/v1/recruitments", svc.recruiter, v2.dump()).status == 201);
  const std::string id = v2["recruitment"]["id"];
  const std::string path = "/v1/recruitments/" + id + "/applicants/A15/explanation";

  auto early = c.get(path, svc.auditor);
  CHECK(early.status == 409);
  CHECK(early.json().at("code") == "not_decided");
  REQUIRE(c.post("/v1/recruitments/" + id + "/decide", svc.recruiter, "").status == 200);

  auto ko = c.get(path, svc.recruiter);
  REQUIRE_MESSAGE(ko.status == 200, ko.body);
  const json k = ko.json();
  CHECK(k.at("format") == "passline-explanation/1");
  CHECK(k.at("recruitment") == id);
  CHECK(k.at("applicant") == "A15");
  CHECK(k.at("lang") == "ko");
  auto en = c.get(path + "?lang=en", svc.auditor);
  REQUIRE(en.status == 200);
  const json e = en.json();
  CHECK(e.at("lang") == "en");

  // The text is the engine's account of the case as decided, the agency's facts the registry's.
  Case file = v2_case("01-law-assigns-programs");
  file.agency.code = "BUSAN-A";
  auto d = decide(file, bundled_rules());
  REQUIRE(d.ok());
  auto direct = explain(file, *d, bundled_rules(), "A15", ExplainOptions{Language::en});
  REQUIRE(direct.ok());
  check_same_but_agency_source(e.at("text").get<std::string>(), *direct,
                               "source: 혁신도시 이전 (test)");
  // Lines carry the citations: every pack citation names a deciding pack's digest and key.
  std::size_t steps = 0, pack = 0;
  for (const json& line : e.at("lines")) {
    if (line.at("indent") == 0) continue;
    REQUIRE_FALSE(line.at("citations").empty());
    ++steps;
    for (const json& cite : line.at("citations")) {
      if (cite.at("source") != "pack") continue;
      ++pack;
      const RulePack* p = bundled_rules().find_by_digest(cite.at("digest").get<std::string>());
      REQUIRE(p != nullptr);
      CHECK(p->id == cite.at("program"));
      CHECK(json::parse(p->canonical_json()).at(json::json_pointer(cite.at("key"))) ==
            cite.at("text"));
    }
  }
  CHECK(steps > 30);
  CHECK(pack > 20);

  // Errors: an unknown applicant, a bad lang, another agency's recruiter (as if it did not
  // exist), no token.
  auto nobody = c.get("/v1/recruitments/" + id + "/applicants/Z9/explanation", svc.auditor);
  CHECK(nobody.status == 404);
  CHECK(nobody.json().at("code") == "unknown_applicant");
  auto fr = c.get(path + "?lang=fr", svc.auditor);
  CHECK(fr.status == 400);
  CHECK(fr.json().at("code") == "bad_query");
  auto other = c.get(path, svc.other_recruiter);
  CHECK(other.status == 404);
  CHECK(other.json().at("code") == "unknown_recruitment");
  CHECK(c.get(path).status == 401);
  CHECK(c.request("POST", path, svc.auditor, "").status == 405);
}

}  // TEST_SUITE
