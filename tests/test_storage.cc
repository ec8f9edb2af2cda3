// Storage through SOCI, one suite over both backends: schema versions, import, deciding stored
// recruitments, the ledger, corrections, the annual report, and all-or-nothing failures.
#include <doctest/doctest.h>

#include <soci/soci.h>

#include <filesystem>
#include <map>

#include "passline/app/compliance.h"
#include "passline/app/recruitments.h"
#include "passline/case_csv.h"
#include "passline/json.h"
#include "passline/app/report_format.h"
#include "storage_support.h"
#include "v2_cases.h"

namespace {

namespace fs = std::filesystem;
using passline::Case;
using passline::test::Backend;
using passline::test::FixedClock;
using passline::test::make_case;
using passline::test::slurp;
using passline::test::TestDb;
namespace sql = passline::sql;
namespace app = passline::app;

const fs::path kSource = PASSLINE_SOURCE_DIR;
const fs::path kConformance = PASSLINE_CONFORMANCE_DIR;

// Everything a failed request must leave as it was: every table's rows, as text.
std::string dump(const std::string& url) {
  auto parsed = sql::parse_database_url(url);
  soci::session s(parsed->soci_backend, parsed->connect_string);
  std::string out;
  for (const char* q :
       {"SELECT id || '|' || state || '|' || COALESCE(superseded_by, '-') FROM recruitments ORDER "
        "BY id",
        "SELECT agency || '|' || CAST(year AS TEXT) || '|' || field || '|' || CAST(hires AS TEXT) "
        "FROM ledger ORDER BY 1",
        "SELECT agency || '|' || field || '|' || program || '|' || CAST(hires AS TEXT) FROM "
        "ledger_groups ORDER BY 1",
        "SELECT CAST(COUNT(*) AS TEXT) FROM applicants",
        "SELECT CAST(COUNT(*) AS TEXT) FROM scores", "SELECT CAST(COUNT(*) AS TEXT) FROM decisions",
        "SELECT CAST(COUNT(*) AS TEXT) FROM units",
        "SELECT CAST(COUNT(*) AS TEXT) FROM stage_outcomes",
        "SELECT CAST(COUNT(*) AS TEXT) FROM agencies"}) {
    soci::rowset<std::string> rs = s.prepare << q;
    for (const auto& r : rs) out += r + "\n";
    out += "--\n";
  }
  return out;
}

std::int64_t ledger_hires(sql::Store& store, const std::string& agency, int year,
                          const std::string& field) {
  auto l = app::ledger(store, agency, year);
  REQUIRE(l.ok());
  for (const auto& e : *l)
    if (e.field == field) return e.hires;
  return 0;
}

Case parse_file(const fs::path& p) {
  auto c = passline::parse_case_json(slurp(p));
  REQUIRE_MESSAGE(c.ok(), p.string());
  return std::move(c).value();
}

}  // namespace

TEST_SUITE("storage") {

STORAGE_TEST(schema_versions_are_checked_at_open) {
  TestDb db(backend);
  auto missing = sql::Store::open(db.url());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "schema_missing");

  auto v = sql::Store::migrate(db.url());
  REQUIRE(v.ok());
  CHECK(*v == sql::latest_schema_version());
  auto again = sql::Store::migrate(db.url());  // forward-only and idempotent
  REQUIRE(again.ok());
  auto store = sql::Store::open(db.url());
  REQUIRE(store.ok());
  CHECK((*store)->schema_version() == sql::latest_schema_version());
  store.value().reset();

  {  // a newer passline wrote this database
    auto parsed = sql::parse_database_url(db.url());
    soci::session s(parsed->soci_backend, parsed->connect_string);
    s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')";
  }
  auto too_new = sql::Store::open(db.url());
  REQUIRE_FALSE(too_new.ok());
  CHECK(too_new.error().code == "schema_too_new");
  CHECK(too_new.error().message.find("999") != std::string::npos);
  auto no_migrate = sql::Store::migrate(db.url());
  REQUIRE_FALSE(no_migrate.ok());
  CHECK(no_migrate.error().code == "schema_too_new");
}

STORAGE_TEST(a_stored_case_decides_to_the_same_bytes_as_the_file) {
  TestDb db(backend);
  auto store = db.open_initialised();
  std::vector<fs::path> files = {kSource / "examples/busan-two-stage.case.json"};
  for (const auto& e : fs::directory_iterator(kConformance)) {
    const std::string name = e.path().filename().string();
    if (name.ends_with(".case.json")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  int stored = 0;
  for (const fs::path& f : files) {
    auto c = passline::parse_case_json(slurp(f));
    if (!c.ok() || !c->ledger.empty()) continue;  // invalid cases; ledgers come from the database
    auto direct = passline::decide(*c, passline::bundled_rules());
    if (!direct.ok()) continue;
    // Each case in a fresh agency code, so no ledger is shared between them.
    c->agency.code += "-" + std::to_string(stored);
    auto imported = app::import_case(*store, *c);
    REQUIRE_MESSAGE(imported.ok(), f.string() << ": " << imported.error().message);
    auto loaded = app::load_case(*store, c->recruitment.id);
    REQUIRE(loaded.ok());
    auto decided = app::decide(*store, c->recruitment.id, passline::bundled_rules());
    REQUIRE_MESSAGE(decided.ok(), f.string()
                                      << ": " << decided.error().code << " " << decided.error().path
                                      << " " << decided.error().message);
    auto back = app::load_decision(*store, c->recruitment.id);
    REQUIRE(back.ok());
    auto expected = passline::decide(*c, passline::bundled_rules());
    CHECK_MESSAGE(passline::decision_to_json(back->input, back->decision) ==
                      passline::decision_to_json(*c, *expected),
                  f.string());
    ++stored;
  }
  CHECK(stored >= 8);
}

STORAGE_TEST(deciding_twice_is_refused_and_the_ledger_sums_the_hires) {
  TestDb db(backend);
  auto store = db.open_initialised();
  REQUIRE(app::import_case(*store, make_case("R1", "AG", "admin", 5, 40)).ok());
  REQUIRE(app::import_case(*store, make_case("R2", "AG", "admin", 3, 30)).ok());
  auto d1 = app::decide(*store, "R1", passline::bundled_rules());
  REQUIRE(d1.ok());
  auto d2 = app::decide(*store, "R2", passline::bundled_rules());
  REQUIRE(d2.ok());
  CHECK(ledger_hires(*store, "AG", 2022, "admin") == d1->hires + d2->hires);

  const std::string before = dump(db.url());
  auto again = app::decide(*store, "R1", passline::bundled_rules());
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "already_decided");
  CHECK(dump(db.url()) == before);

  auto dup = app::import_case(*store, make_case("R1", "AG", "admin", 5, 40));
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == "duplicate_recruitment");
  CHECK(dump(db.url()) == before);
}

STORAGE_TEST(prior_hires_from_the_ledger_decide_a_small_field_claim) {
  TestDb db(backend);
  auto store = db.open_initialised();
  // 4 hires in `legal` this year: a small field (≤ 5), so a claim on a later unit of 1 holds...
  REQUIRE(app::import_case(*store, make_case("R1", "AG", "legal", 4, 20)).ok());
  REQUIRE(app::decide(*store, "R1", passline::bundled_rules()).ok());
  Case small = make_case("R2", "AG", "legal", 1, 10);
  small.units[0].exemptions = {"small_field"};
  REQUIRE(app::import_case(*store, small).ok());
  auto d = app::decide(*store, "R2", passline::bundled_rules());
  REQUIRE_MESSAGE(d.ok(), d.error().message);
  auto stored = app::load_decision(*store, "R2");
  REQUIRE(stored.ok());
  CHECK(stored->decision.units[0].exempt == std::optional<std::string>("small_field"));
  REQUIRE(stored->input.ledger.size() == 1);
  CHECK(stored->input.ledger[0].hires == 4);

  // ...and with those 5 hires, a claim on 2 more does not (5 + 2 > 5): nothing is written.
  Case big = make_case("R3", "AG", "legal", 2, 10);
  big.units[0].exemptions = {"small_field"};
  REQUIRE(app::import_case(*store, big).ok());
  const std::string before = dump(db.url());
  auto refused = app::decide(*store, "R3", passline::bundled_rules());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "exemption_not_supported");
  CHECK(dump(db.url()) == before);
  auto info = app::recruitment(*store, "R3");
  REQUIRE(info.ok());
  CHECK(info->state == "imported");
}

STORAGE_TEST(prior_hires_from_the_ledger_feed_an_agency_year_program) {
  TestDb db(backend);
  auto store = db.open_initialised();
  // An inline program measured over the agency's year (scope agency_year): 30% women.
  passline::Program women;
  women.id = "women-30";
  women.group = passline::AttributeGroup{"sex", "F"};
  women.ratio = *passline::Ratio::parse("0.3");
  women.rounding = passline::Rounding::ceil;
  women.scope = passline::Scope::agency_year;
  auto with_program = [&](Case c, bool any_women) {
    c.programs = {women};
    for (std::size_t i = 0; i < c.units[0].applicants.size(); ++i)
      c.units[0].applicants[i].attributes = {{"sex", any_women && i % 3 == 0 ? "F" : "M"}};
    return c;
  };
  // R1: 10 hires, no women. R2: 5 planned; over the year ceil(0.3 x 15) = 5 women are due.
  REQUIRE(
      app::import_case(*store, with_program(make_case("R1", "AG", "admin", 10, 40), false)).ok());
  auto r1 = app::decide(*store, "R1", passline::bundled_rules());
  REQUIRE_MESSAGE(r1.ok(), r1.error().code << " " << r1.error().path << " " << r1.error().message);
  const Case r2 = with_program(make_case("R2", "AG", "admin", 5, 60), true);
  REQUIRE(app::import_case(*store, r2).ok());
  auto loaded = app::load_case(*store, "R2");
  REQUIRE(loaded.ok());
  REQUIRE(loaded->programs.size() == 1);
  REQUIRE(loaded->programs[0].index() == 1);  // the inline program, stored in full
  CHECK(std::get<passline::Program>(loaded->programs[0]).scope == passline::Scope::agency_year);
  REQUIRE(app::decide(*store, "R2", passline::bundled_rules()).ok());
  auto stored = app::load_decision(*store, "R2");
  REQUIRE(stored.ok());
  REQUIRE(stored->input.ledger.size() == 1);
  CHECK(stored->input.ledger[0].hires == 10);
  CHECK(stored->input.ledger[0].group_hires.at("women-30") == 0);
  // The same as deciding the file with that prior, and not as deciding it with none.
  Case with_prior = r2;
  with_prior.ledger = stored->input.ledger;
  auto expected = passline::decide(with_prior, passline::bundled_rules());
  auto without = passline::decide(r2, passline::bundled_rules());
  REQUIRE(expected.ok());
  REQUIRE(without.ok());
  CHECK(passline::decision_to_json(stored->input, stored->decision) ==
        passline::decision_to_json(with_prior, *expected));
  CHECK(stored->decision.units[0].group_hires[0] > without->units[0].group_hires[0]);
}

STORAGE_TEST(a_correction_replaces_the_hires_of_the_recruitment_it_supersedes) {
  TestDb db(backend);
  auto store = db.open_initialised();
  REQUIRE(app::import_case(*store, make_case("R1", "AG", "admin", 6, 40)).ok());
  auto first = app::decide(*store, "R1", passline::bundled_rules());
  REQUIRE(first.ok());
  REQUIRE(app::import_case(*store, make_case("R2", "AG", "it", 2, 12)).ok());
  auto other = app::decide(*store, "R2", passline::bundled_rules());
  REQUIRE(other.ok());

  app::ImportOptions fix;
  fix.supersedes = "R1";
  REQUIRE(app::import_case(*store, make_case("R1b", "AG", "admin", 4, 30), fix).ok());
  auto refused = app::decide(*store, "R1", passline::bundled_rules());  // already decided anyway
  REQUIRE_FALSE(refused.ok());
  auto second = app::decide(*store, "R1b", passline::bundled_rules());
  REQUIRE(second.ok());
  CHECK(ledger_hires(*store, "AG", 2022, "admin") == second->hires);
  CHECK(ledger_hires(*store, "AG", 2022, "it") == other->hires);

  // Both stay readable.
  auto old = app::recruitment(*store, "R1");
  REQUIRE(old.ok());
  CHECK(old->superseded_by == std::optional<std::string>("R1b"));
  CHECK(app::load_decision(*store, "R1").ok());
  CHECK(app::load_decision(*store, "R1b").ok());

  // The report counts the correction, not the recruitment it replaced.
  auto rows = app::compliance(*store, 2022, "AG");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0].obligated == second->hires + other->hires);
  CHECK((*rows)[0].recruitments == 2);

  // A second correction of R1 is refused: R1b already replaces it.
  auto twice = app::import_case(*store, make_case("R1c", "AG", "admin", 4, 30), fix);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code == "bad_supersedes");
}

STORAGE_TEST(a_failed_import_stores_nothing) {
  TestDb db(backend);
  auto store = db.open_initialised();
  REQUIRE(app::import_case(*store, make_case("R1", "AG", "admin", 3, 10)).ok());
  const std::string before = dump(db.url());

  Case moved = make_case("R2", "AG", "admin", 3, 10);
  moved.agency.region = passline::Region::daegu;  // the agency's stored region is busan
  auto mismatch = app::import_case(*store, moved);
  REQUIRE_FALSE(mismatch.ok());
  CHECK(mismatch.error().code == "agency_mismatch");
  CHECK(mismatch.error().path == "agency.region");

  Case dup = make_case("R3", "AG", "admin", 3, 10);
  dup.units[0].applicants[5].id = dup.units[0].applicants[2].id;
  auto invalid = app::import_case(*store, dup);
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.error().code == "duplicate_applicant");

  Case with_ledger = make_case("R4", "AG", "admin", 3, 10);
  with_ledger.ledger.push_back({"admin", 3, {}});
  auto ledger = app::import_case(*store, with_ledger);
  REQUIRE_FALSE(ledger.ok());
  CHECK(ledger.error().path == "ledger.prior");

  app::ImportOptions bad;
  bad.supersedes = "nope";
  auto sup = app::import_case(*store, make_case("R5", "AG", "admin", 3, 10), bad);
  REQUIRE_FALSE(sup.ok());
  CHECK(sup.error().code == "bad_supersedes");
  CHECK(dump(db.url()) == before);
}

STORAGE_TEST(the_annual_report_counts_obligations_exemptions_and_shortfalls) {
  TestDb db(backend);
  auto store = db.open_initialised();
  // Agency A: 10 planned, 1 in 4 applicants local → below 18% of 2022 (30%), short by threshold
  // or pool. Agency B: an experienced-only unit, exempt.
  REQUIRE(app::import_case(*store, make_case("A-1", "A", "admin", 10, 40)).ok());
  Case exempt = make_case("B-1", "B", "admin", 3, 12);
  exempt.units[0].exemptions = {"experienced"};
  exempt.units[0].requires_experience = true;
  REQUIRE(app::import_case(*store, exempt).ok());
  REQUIRE(app::decide(*store, "A-1", passline::bundled_rules()).ok());
  REQUIRE(app::decide(*store, "B-1", passline::bundled_rules()).ok());
  auto direct = passline::decide(make_case("A-1", "A", "admin", 10, 40), passline::bundled_rules());
  REQUIRE(direct.ok());

  auto rows = app::compliance(*store, 2022);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 2);
  const sql::ComplianceRow& a = (*rows)[0];
  CHECK(a.agency == "A");
  CHECK(a.program == "kr-innovation-city");
  CHECK(a.ratio == "0.3");
  CHECK(a.obligated == direct->units[0].hires);
  CHECK(a.group_hires == direct->units[0].group_hires[0]);
  CHECK(a.met == (a.group_hires * 10 >= a.obligated * 3));
  CHECK(a.region == passline::Region::busan);  // the agency's, as stored
  const sql::ComplianceRow& b = (*rows)[1];
  CHECK(b.obligated == 0);         // exempt: no obligation
  CHECK_FALSE(b.met.has_value());  // neither met nor missed (it used to count as met)
  REQUIRE(b.exempt_units.size() == 1);
  CHECK(b.exempt_units[0] == std::pair<std::string, std::int64_t>("experienced", 1));
  CHECK(b.no_obligation == app::ReasonCounts{{"experienced", 1}});
  // The other year is empty; an agency filter narrows.
  CHECK(app::compliance(*store, 2021)->empty());
  CHECK(app::compliance(*store, 2022, "B")->size() == 1);
  const std::string json = app::format_report(2022, *rows, "json");
  CHECK(json.find("\"format\": \"passline-report/2\"") != std::string::npos);
  const std::string csv = app::format_report(2022, *rows, "csv");
  CHECK(csv.rfind("year,agency,program", 0) == 0);

  // The annual report: agency C imported a recruitment and decided none; with B it is counted
  // apart, and the national line says so (SPEC §7).
  REQUIRE(app::import_case(*store, make_case("C-1", "C", "admin", 4, 12)).ok());
  auto annual = app::annual_report(*store, 2022);
  REQUIRE(annual.ok());
  REQUIRE(annual->without_row.size() == 1);
  CHECK(annual->without_row[0].agency == "C");
  CHECK(annual->without_row[0].region == passline::Region::busan);
  CHECK(annual->without_row[0].reason == "no_decided_recruitment");
  REQUIRE(annual->national.size() == 1);
  const app::ComplianceTotals& t = annual->national[0];
  CHECK(t.agencies == 3);
  CHECK(t.agencies_obligated == 1);
  CHECK(t.agencies_met == (a.met == true ? 1 : 0));
  CHECK(t.agencies_not_obligated == 2);
  CHECK(t.obligated == a.obligated);
  CHECK(t.no_obligation == app::ReasonCounts{{"experienced", 1}, {"no_decided_recruitment", 1}});
  REQUIRE(annual->regions.size() == 1);
  CHECK(annual->regions[0].region == passline::Region::busan);
  CHECK(annual->regions[0].agencies == 3);
  const std::string table = app::format_report(*annual, "table");
  CHECK(table.find("TOTAL kr-innovation-city: " + std::to_string(a.group_hires) + " of " +
                   std::to_string(a.obligated) + " obligated hires local") != std::string::npos);
  CHECK(table.find("agencies with obligated hiring met the target; 2 had no obligated hiring") !=
        std::string::npos);
}

STORAGE_TEST(csv_exports_import_like_the_case_file) {
  TestDb db(backend);
  auto store = db.open_initialised();
  Case header = parse_file(kSource / "examples/csv/recruitment.json");
  passline::CsvFiles files;
  files.applicants = {"applicants.csv", slurp(kSource / "examples/csv/applicants.csv")};
  files.education = {"education.csv", slurp(kSource / "examples/csv/education.csv")};
  files.scores = {"scores.csv", slurp(kSource / "examples/csv/scores.csv")};
  auto merged = passline::merge_case_csv(header, files);
  REQUIRE_MESSAGE(merged.ok(), merged.error().path << " " << merged.error().message);
  REQUIRE(app::import_case(*store, *merged).ok());
  REQUIRE(app::decide(*store, merged->recruitment.id, passline::bundled_rules()).ok());
  auto back = app::load_decision(*store, merged->recruitment.id);
  REQUIRE(back.ok());
  auto direct = passline::decide(*merged, passline::bundled_rules());
  REQUIRE(direct.ok());
  CHECK(passline::decision_to_json(back->input, back->decision) ==
        passline::decision_to_json(*merged, *direct));
}

// The store keeps its hot reads prepared per connection (detail::cached): a statement kept
// between calls must not keep its cursor, and with it an old read snapshot, open.
STORAGE_TEST(statements_kept_prepared_see_what_other_connections_wrote) {
  TestDb db(backend);
  auto a = db.open_initialised();
  auto b = sql::Store::open(db.url());
  REQUIRE(b.ok());
  Case c = parse_file(kSource / "examples/busan-two-stage.case.json");
  const std::string code = c.agency.code, id = c.recruitment.id;
  app::DecidedFilter by_agency;
  by_agency.agency = code;
  for (int round = 0; round < 2; ++round) {  // the second round reuses the prepared statements
    CHECK_FALSE(*a->agency_exists(code));
    CHECK_FALSE(a->find_recruitment(id)->has_value());
    CHECK(a->list_recruitments(code, 0)->empty());
    CHECK(a->decided(by_agency)->empty());
  }
  REQUIRE(app::import_case(**b, c).ok());
  CHECK(*a->agency_exists(code));
  REQUIRE(a->find_recruitment(id)->has_value());
  CHECK((*a->find_recruitment(id))->state == "imported");
  CHECK(a->list_recruitments(code, 0)->size() == 1);
  REQUIRE(app::decide(**b, id, passline::bundled_rules()).ok());
  CHECK((*a->find_recruitment(id))->state == "decided");
  auto decided = a->decided(by_agency);
  REQUIRE(decided.ok());
  REQUIRE(decided->size() == 1);
  CHECK_FALSE(decided->front().units.empty());
  // And the connection that read through them can still write (SQLite: BEGIN IMMEDIATE would
  // fail on a stale snapshot).
  Case other = c;
  other.recruitment.id = id + "-2";
  REQUIRE(app::import_case(*a, other).ok());
  CHECK((*b)->list_recruitments(code, 0)->size() == 2);
}

// Schema 11: decide keeps each agency's year figures, and one agency's compliance is read from
// them. After every decision, correction and chain of corrections they give the report that
// summing the year's decided recruitments gives, figure for figure and byte for byte.
void check_figures(sql::Store& store, int year, const std::string& agency) {
  CAPTURE(agency);
  auto kept = store.read_year_figures(agency, year);
  REQUIRE(kept.ok());
  REQUIRE(kept->has_value());
  passline::app::DecidedFilter filter;
  filter.year = year;
  filter.agency = agency;
  auto decided = store.decided(filter);
  REQUIRE(decided.ok());
  CHECK((*kept)->figures == app::year_figures(app::counted(std::move(*decided))));
  auto fast = app::annual_report(store, year, agency);
  auto slow = app::recomputed_report(store, year, agency);
  REQUIRE(fast.ok());
  REQUIRE(slow.ok());
  CHECK(app::report_json(*fast) == app::report_json(*slow));
  CHECK(app::report_json(*fast) == app::detail::report_json_tree(*fast));  // the text writer
  CHECK(app::report_json(*slow) == app::detail::report_json_tree(*slow));
}

STORAGE_TEST(the_year_figures_decide_keeps_equal_the_recomputed_report) {
  TestDb db(backend);
  auto store = db.open_initialised();
  const auto rules = passline::bundled_rules();
  auto decide = [&](const Case& c, const app::ImportOptions& options = {}) {
    CAPTURE(c.recruitment.id);
    REQUIRE(app::import_case(*store, c, options).ok());
    auto d = app::decide(*store, c.recruitment.id, rules);
    REQUIRE_MESSAGE(d.ok(), d.error().message);
    check_figures(*store, 2022, c.agency.code);
  };
  // An inline program whose ratio changes between recruitments: the latest announced one's
  // counts, whatever order they are decided in.
  auto inline_program = [](Case c, const char* ratio) {
    passline::Program p;
    p.id = "local-target";
    p.group = passline::AttributeGroup{"local", "Y"};
    p.ratio = *passline::Ratio::parse(ratio);
    p.rounding = passline::Rounding::ceil;
    p.scope = passline::Scope::agency_year;
    c.programs.emplace_back(p);
    for (std::size_t i = 0; i < c.units[0].applicants.size(); ++i)
      c.units[0].applicants[i].attributes = {{"local", i % 3 == 0 ? "Y" : "N"}};
    return c;
  };
  decide(inline_program(make_case("A-2", "A", "admin", 6, 40, "2022-09-01"), "0.25"));
  decide(inline_program(make_case("A-1", "A", "it", 4, 30, "2022-03-01"), "0.2"));
  Case exempt = make_case("A-3", "A", "admin", 3, 12, "2022-06-01");
  exempt.units[0].exemptions = {"experienced"};
  exempt.units[0].requires_experience = true;
  decide(exempt);
  decide(make_case("B-1", "B", "admin", 10, 40));
  decide(make_case("B-2", "B", "admin", 0, 5));  // plans nobody: bound, no hires

  // A correction of the latest announced one, announced earlier and with another ratio:
  // the program's ratio becomes A-1's (March), not A-2b's (January); a correction of the
  // correction that names no inline program; a correction of a recruitment never decided.
  app::ImportOptions fix;
  fix.supersedes = "A-2";
  decide(inline_program(make_case("A-2b", "A", "admin", 6, 20, "2022-01-15"), "0.3"), fix);
  fix.supersedes = "A-2b";
  decide(make_case("A-2c", "A", "admin", 2, 10, "2022-02-01"), fix);
  REQUIRE(app::import_case(*store, make_case("B-3", "B", "it", 5, 20)).ok());
  fix.supersedes = "B-3";
  decide(make_case("B-3b", "B", "it", 5, 25), fix);

  // Quota-case/2: per-program claims of registered agencies.
  passline::test::decide_v2_year(*store);
  for (const auto& [agency, c] : passline::test::v2_year()) {
    auto fast = app::annual_report(*store, 2024, c.agency.code);
    auto slow = app::recomputed_report(*store, 2024, c.agency.code);
    REQUIRE(fast.ok());
    REQUIRE(slow.ok());
    CHECK(app::report_json(*fast) == app::report_json(*slow));
    CHECK(app::report_json(*fast) == app::detail::report_json_tree(*fast));
  }
  // The whole year's report (every agency, regions, totals), written both ways.
  for (int year : {2022, 2024}) {
    auto whole = app::annual_report(*store, year);
    REQUIRE(whole.ok());
    CHECK(app::report_json(*whole) == app::detail::report_json_tree(*whole));
  }

  // A failed decide leaves the figures as they were.
  auto before = store->read_year_figures("A", 2022);
  REQUIRE(before.ok());
  auto again = app::decide(*store, "A-1", rules);
  REQUIRE_FALSE(again.ok());
  auto after = store->read_year_figures("A", 2022);
  REQUIRE(after.ok());
  CHECK((*after)->figures == (*before)->figures);
  // An agency or year with nothing decided has no figures; its report is still the full one.
  CHECK_FALSE(store->read_year_figures("A", 2021)->has_value());
  REQUIRE(app::import_case(*store, make_case("C-1", "C", "admin", 4, 12)).ok());
  CHECK_FALSE(store->read_year_figures("C", 2022)->has_value());
  auto c = app::annual_report(*store, 2022, "C");
  REQUIRE(c.ok());
  REQUIRE(c->without_row.size() == 1);
  CHECK(c->without_row[0].reason == "no_decided_recruitment");
}

// Schema 11's data step: a database decided before it gets the figures decide would have kept.
STORAGE_TEST(the_migration_sums_the_year_figures_of_stored_decisions) {
  TestDb db(backend);
  auto store = db.open_initialised();
  const auto rules = passline::bundled_rules();
  for (const char* id : {"R1", "R2"}) {
    REQUIRE(app::import_case(*store, make_case(id, "AG", "admin", 5, 30)).ok());
    REQUIRE(app::decide(*store, id, rules).ok());
  }
  app::ImportOptions fix;
  fix.supersedes = "R1";
  REQUIRE(app::import_case(*store, make_case("R1b", "AG", "it", 3, 20), fix).ok());
  REQUIRE(app::decide(*store, "R1b", rules).ok());
  auto kept = store->read_year_figures("AG", 2022);
  REQUIRE(kept.ok());
  REQUIRE(kept->has_value());
  const app::YearFigures expected = (*kept)->figures;
  CHECK(expected.recruitments == 2);
  store.reset();
  {
    // As a database of schema 10 looks: no figures.
    auto url = sql::parse_database_url(db.url());
    soci::session s(url->soci_backend, url->connect_string);
    for (const char* t : {"year_program_reasons", "year_program_figures", "year_figures"})
      s << std::string("DROP TABLE ") + t;
    s << "DROP TABLE witness_cosignatures";  // and schema 12's
    for (const char* t : {"log_retention", "log_openings"})
      s << std::string("DROP TABLE ") + t;  // and schema 13's
    s << "DELETE FROM schema_migrations WHERE version >= 11";
  }
  CHECK(sql::Store::open(db.url()).error().code == "schema_outdated");
  auto v = sql::Store::migrate(db.url());
  REQUIRE_MESSAGE(v.ok(), v.error().message);
  auto reopened = sql::Store::open(db.url());
  REQUIRE(reopened.ok());
  auto migrated = (*reopened)->read_year_figures("AG", 2022);
  REQUIRE(migrated.ok());
  REQUIRE(migrated->has_value());
  CHECK((*migrated)->figures == expected);
  check_figures(**reopened, 2022, "AG");
}

}  // TEST_SUITE

// A stored value that does not parse is `corrupt_row` naming its column wherever it is read;
// a corrupt ratio used to be read as 0 by the report and the decision reader.
STORAGE_TEST(a_corrupt_stored_ratio_is_a_corrupt_row_not_zero) {
  TestDb db(backend);
  auto store = db.open_initialised();
  REQUIRE(app::import_case(*store, make_case("R1", "AG", "admin", 5, 30)).ok());
  REQUIRE(app::decide(*store, "R1", passline::bundled_rules()).ok());
  {
    auto parsed = sql::parse_database_url(db.url());
    soci::session s(parsed->soci_backend, parsed->connect_string);
    s << "UPDATE decided_programs SET ratio = 'thirty' WHERE recruitment = 'R1'";
  }
  auto rows = app::compliance(*store, 2022);
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.error().code == "corrupt_row");
  CHECK(rows.error().path == "decided_programs.ratio");
  auto d = app::load_decision(*store, "R1");
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "corrupt_row");
}
