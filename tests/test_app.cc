// The application layer over the in-memory store: the use cases' rules without a database
// (ledger arithmetic, supersession, which programs bound a unit, compliance and "met"), and the
// port's all-or-nothing contract.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "passline/app/compliance.h"
#include "passline/app/ledger.h"
#include "passline/app/memory_store.h"
#include "passline/app/recruitments.h"
#include "passline/app/report_format.h"
#include "passline/json.h"
#include "storage_support.h"

namespace {

namespace app = passline::app;
using namespace passline;
using passline::test::FixedClock;
using passline::test::make_case;

app::DecidedRecruitment facts(const std::string& id, const std::string& agency,
                              std::optional<std::string> supersedes, std::int64_t hires,
                              std::int64_t local, const char* ratio = "0.3") {
  app::DecidedRecruitment r;
  r.info.id = id;
  r.info.agency = agency;
  r.info.state = "decided";
  r.info.supersedes = std::move(supersedes);
  r.programs.push_back({"kr-innovation-city", *Ratio::parse(ratio)});
  r.units.push_back({"U1", "office", std::nullopt, hires, {1}, {local}, {}});
  return r;
}

}  // namespace

TEST_CASE("ledger: a decision's contribution, added and taken out again") {
  app::Ledger ledger = {{"office", 10, {{"p", 3}}}};
  const app::Ledger delta = {{"office", 4, {{"p", 1}}}, {"tech", 2, {{"p", 2}}}};
  const app::Ledger sum = app::add(ledger, delta);
  REQUIRE(sum.size() == 2);
  CHECK(sum[0].field == "office");
  CHECK(sum[0].hires == 14);
  CHECK(sum[0].group_hires.at("p") == 4);
  CHECK(sum[1].field == "tech");
  CHECK(sum[1].group_hires.at("p") == 2);
  const app::Ledger back = app::add(sum, delta, -1);
  CHECK(back[0].hires == 10);
  CHECK(back[0].group_hires.at("p") == 3);
  CHECK(back[1].hires == 0);
}

TEST_CASE("compliance: a decided correction replaces its original, an undecided one does not") {
  std::vector<app::DecidedRecruitment> year = {facts("R1", "AG", std::nullopt, 10, 2),
                                               facts("R2", "AG", std::string("R1"), 10, 3)};
  auto counted = app::counted(year);
  REQUIRE(counted.size() == 1);
  CHECK(counted[0].info.id == "R2");
  auto rows = app::compliance_rows(counted);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].obligated == 10);
  CHECK(rows[0].group_hires == 3);
  CHECK(rows[0].met == true);  // 3 ≥ 0.3 × 10, exactly
  // One local hire fewer than 30%: not met.
  rows = app::compliance_rows({facts("R3", "AG", std::nullopt, 10, 2)});
  CHECK(rows[0].met == false);
  // Exact at a ratio no binary fraction holds: 1 of 3 at 1/3 rounded is not 0.333334.
  rows = app::compliance_rows({facts("R4", "AG", std::nullopt, 1000000, 333334, "0.333334")});
  CHECK(rows[0].met == true);
  rows = app::compliance_rows({facts("R5", "AG", std::nullopt, 1000000, 333333, "0.333334")});
  CHECK(rows[0].met == false);
}

TEST_CASE("compliance: a unit the program did not bind is not obligated") {
  auto r = facts("R1", "AG", std::nullopt, 10, 0);
  r.units[0].applies = {0};
  r.units[0].exempt = "small_field";
  auto rows = app::compliance_rows({r});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].obligated == 0);
  // No obligated hires: neither met nor missed (SPEC §7; it used to count as met).
  CHECK_FALSE(rows[0].met.has_value());
  REQUIRE(rows[0].exempt_units.size() == 1);
  CHECK(rows[0].exempt_units[0].first == "small_field");
  CHECK(rows[0].no_obligation == app::ReasonCounts{{"small_field", 1}});
}

TEST_CASE("compliance: why an agency had no obligated hires, unit by unit") {
  auto small = facts("R1", "AG", std::nullopt, 3, 0);
  small.units[0].applies = {0};  // not bound, and no claim recorded
  auto rows = app::compliance_rows({small});
  REQUIRE(rows.size() == 1);
  CHECK_FALSE(rows[0].met.has_value());
  CHECK(rows[0].no_obligation == app::ReasonCounts{{"not_bound", 1}});
  small.units[0].exempt_from = {std::nullopt};  // the claims recorded, none held: min_planned
  rows = app::compliance_rows({small});
  CHECK(rows[0].no_obligation == app::ReasonCounts{{"min_planned", 1}});
  auto nobody = facts("R2", "AG", std::nullopt, 0, 0);  // bound, hired nobody
  rows = app::compliance_rows({nobody});
  CHECK_FALSE(rows[0].met.has_value());
  CHECK(rows[0].no_obligation == app::ReasonCounts{{"no_hires", 1}});
  // An agency with obligated hires gives no reason, whatever else its units did.
  auto both = facts("R3", "AG", std::nullopt, 10, 3);
  both.units.push_back({"U2", "law", std::string("small_field"), 2, {0}, {0}, {}});
  rows = app::compliance_rows({both});
  CHECK(rows[0].met == true);
  CHECK(rows[0].exempt_units == app::ReasonCounts{{"small_field", 1}});
  CHECK(rows[0].no_obligation.empty());
}

TEST_CASE("annual report: per-program exemptions, agencies without a row, regional totals") {
  // AG1 (busan) under two programs, its unit exempt from the second only (quota-case/2's
  // exempt_from); AG2 (daegu) short of its target; AG3 (region unknown) decided by rank alone;
  // AG4 (busan) imported a recruitment and decided none.
  auto ag1 = facts("R1", "AG1", std::nullopt, 10, 2, "0.18");
  ag1.info.agency_region = Region::busan;
  ag1.programs.push_back({"kr-nonmetro-35", *Ratio::parse("0.35")});
  ag1.units[0].applies = {1, 0};
  ag1.units[0].group_hires = {2, 5};
  ag1.units[0].exempt_from = {std::nullopt, std::string("small_hiring")};
  auto ag2 = facts("R2", "AG2", std::nullopt, 5, 0, "0.18");
  ag2.info.agency_region = Region::daegu;
  auto ag3 = facts("R3", "AG3", std::nullopt, 4, 1);
  ag3.programs.clear();
  ag3.units[0].applies.clear();
  ag3.units[0].group_hires.clear();
  app::RecruitmentInfo ag4;
  ag4.id = "R4";
  ag4.agency = "AG4";
  ag4.state = "imported";
  ag4.agency_region = Region::busan;

  const app::ComplianceReport report =
      app::compliance_report(2024, {ag1, ag2, ag3}, {ag1.info, ag2.info, ag3.info, ag4});
  REQUIRE(report.rows.size() == 3);
  CHECK(report.rows[0].program == "kr-innovation-city");
  CHECK(report.rows[0].met == true);  // 2 ≥ 0.18 × 10
  CHECK(report.rows[0].region == Region::busan);
  CHECK(report.rows[1].program == "kr-nonmetro-35");
  CHECK(report.rows[1].obligated == 0);
  CHECK_FALSE(report.rows[1].met.has_value());
  CHECK(report.rows[1].exempt_units == app::ReasonCounts{{"small_hiring", 1}});
  CHECK(report.rows[1].no_obligation == app::ReasonCounts{{"small_hiring", 1}});
  CHECK(report.rows[2].agency == "AG2");
  CHECK(report.rows[2].met == false);  // 0 < 0.18 × 5
  REQUIRE(report.without_row.size() == 2);
  CHECK(report.without_row[0].agency == "AG3");
  CHECK(report.without_row[0].reason == "no_program");
  CHECK_FALSE(report.without_row[0].region.has_value());
  CHECK(report.without_row[1].agency == "AG4");
  CHECK(report.without_row[1].reason == "no_decided_recruitment");

  REQUIRE(report.national.size() == 2);
  const app::ComplianceTotals& ic = report.national[0];
  CHECK(ic.program == "kr-innovation-city");
  CHECK(ic.agencies == 4);
  CHECK(ic.agencies_obligated == 2);
  CHECK(ic.agencies_met == 1);
  CHECK(ic.agencies_not_obligated == 2);
  CHECK(ic.obligated == 15);
  CHECK(ic.group_hires == 2);
  CHECK(ic.no_obligation == app::ReasonCounts{{"no_decided_recruitment", 1}, {"no_program", 1}});
  CHECK(app::summary_line(ic) ==
        "2 of 15 obligated hires local (13.3%); 1 of 2 agencies with obligated hiring met the "
        "target; 2 had no obligated hiring");
  const app::ComplianceTotals& nm = report.national[1];
  CHECK(nm.agencies == 3);
  CHECK(nm.agencies_obligated == 0);
  CHECK(nm.agencies_not_obligated == 3);
  CHECK(nm.no_obligation ==
        app::ReasonCounts{{"no_decided_recruitment", 1}, {"no_program", 1}, {"small_hiring", 1}});
  CHECK(app::summary_line(nm) ==
        "0 of 0 obligated hires local (-); 0 of 0 agencies with obligated hiring met the target; "
        "3 had no obligated hiring");

  // Regions per program in SPEC §2 order, the unknown one last.
  std::vector<std::pair<std::string, std::string>> regions;
  for (const app::ComplianceTotals& t : report.regions)
    regions.emplace_back(t.program, t.region ? std::string(to_string(*t.region)) : "?");
  CHECK(regions == std::vector<std::pair<std::string, std::string>>{{"kr-innovation-city", "busan"},
                                                                    {"kr-innovation-city", "daegu"},
                                                                    {"kr-innovation-city", "?"},
                                                                    {"kr-nonmetro-35", "busan"},
                                                                    {"kr-nonmetro-35", "?"}});
  // The report's JSON is written straight to text: the same bytes as nlohmann's tree.
  CHECK(app::report_json(report) == app::detail::report_json_tree(report));
  CHECK(report.regions[0].agencies == 2);  // AG1 and AG4
  CHECK(report.regions[0].agencies_met == 1);
  CHECK(report.regions[1].agencies_met == 0);
  CHECK(app::summary_line(report.regions[1]) ==
        "0 of 5 obligated hires local (0.0%); 0 of 1 agencies with obligated hiring met the "
        "target; 0 had no obligated hiring");
}

TEST_CASE("report forms: the totals lines in table, CSV and JSON") {
  auto ag1 = facts("R1", "AG1", std::nullopt, 6076, 1423, "0.18");
  ag1.info.agency_region = Region::jeonnam;
  auto ag2 = facts("R2", "AG2", std::nullopt, 3, 0, "0.18");
  ag2.info.agency_region = Region::jeonnam;
  ag2.units[0].applies = {0};
  ag2.units[0].exempt = "small_field";
  const auto report = app::compliance_report(2018, {ag1, ag2});
  const std::string line =
      "1,423 of 6,076 obligated hires local (23.4%); 1 of 1 agencies with obligated hiring met "
      "the target; 1 had no obligated hiring";
  const std::string table = app::format_report(report, "table");
  CHECK(table.find("TOTAL kr-innovation-city: " + line + "\n") != std::string::npos);
  CHECK(table.find("  jeonnam  " + line + "\n") != std::string::npos);
  CHECK(table.find("AG2     jeonnam  kr-innovation-city      1  small_field:1\n") !=
        std::string::npos);
  const std::string csv = app::format_report(report, "csv");
  CHECK(csv.find("\n2018,TOTAL,kr-innovation-city,,6076,1423,23.4%,1/1,,,,-,,small_field:1,2,1,1,"
                 "1\n") != std::string::npos);
  CHECK(csv.find("\n2018,REGION,kr-innovation-city,,6076,1423,23.4%,1/1,,,,-,jeonnam,"
                 "small_field:1,2,1,1,1\n") != std::string::npos);
  CHECK(csv.find("\n2018,AG2,kr-innovation-city,0.18,0,0,-,-,1,1,small_field:1,-,jeonnam,"
                 "small_field:1,,,,\n") != std::string::npos);
  const auto json = nlohmann::json::parse(app::format_report(report, "json"));
  CHECK(json.at("format") == "passline-report/2");
  CHECK(json.at("totals").at(0).at("summary") == line);
  CHECK(json.at("regions").at(0).at("summary") == line);
  CHECK(json.at("agencies").at(1).at("met").is_null());
}

TEST_CASE("use cases over the in-memory store: import, decide, correct") {
  auto store = app::make_memory_store();
  FixedClock clock;
  Case c = make_case("R1", "AG", "office", 10, 40);
  auto imported = app::import_case(*store, c, {}, clock);
  REQUIRE(imported.ok());
  CHECK(imported->applicants == 40);
  CHECK(imported->scores == 40);

  auto dup = app::import_case(*store, c, {}, clock);
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == "duplicate_recruitment");

  Case moved = make_case("R9", "AG", "office", 10, 5);
  moved.agency.region = Region::daegu;
  auto mismatch = app::import_case(*store, moved, {}, clock);
  REQUIRE_FALSE(mismatch.ok());
  CHECK(mismatch.error().code == "agency_mismatch");
  CHECK(mismatch.error().path == "agency.region");

  auto d = app::decide(*store, "R1", bundled_rules(), clock);
  REQUIRE(d.ok());
  CHECK(d->hires >= 10);
  auto again = app::decide(*store, "R1", bundled_rules(), clock);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "already_decided");
  auto ledger = app::ledger(*store, "AG", 2022);
  REQUIRE(ledger.ok());
  REQUIRE(ledger->size() == 1);
  CHECK((*ledger)[0].hires == d->hires);

  // A correction: its hires replace R1's in the ledger and the report.
  Case fix = make_case("R2", "AG", "office", 12, 40);
  app::ImportOptions opts;
  opts.supersedes = "R1";
  REQUIRE(app::import_case(*store, fix, opts, clock).ok());
  auto twice = app::import_case(*store, make_case("R3", "AG", "office", 12, 4), opts, clock);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code == "bad_supersedes");
  auto d2 = app::decide(*store, "R2", bundled_rules(), clock);
  REQUIRE(d2.ok());
  CHECK(d2->input.ledger.size() == 1);
  CHECK(d2->input.ledger[0].hires == 0);  // decided as if R1 had not been
  ledger = app::ledger(*store, "AG", 2022);
  CHECK((*ledger)[0].hires == d2->hires);
  auto rows = app::compliance(*store, 2022);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  CHECK((*rows)[0].obligated == d2->hires);
  CHECK((*rows)[0].recruitments == 1);
  CHECK((*rows)[0].region == Region::busan);  // the stored agency's
}

TEST_CASE("in-memory store: a failed decide leaves the store exactly as it was") {
  auto store = app::make_memory_store();
  FixedClock clock;
  Case c = make_case("R1", "AG", "office", 10, 40);
  c.units[0].stages[0].threshold = {};        // needs additional passes, announces no threshold
  for (Applicant& a : c.units[0].applicants)  // local applicants score lowest
    if (a.education[0].region == Region::busan) a.scores[0] = Decimal::from_int(10);
  REQUIRE(app::import_case(*store, c, {}, clock).ok());
  auto d = app::decide(*store, "R1", bundled_rules(), clock);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "threshold_missing");
  auto info = app::recruitment(*store, "R1");
  REQUIRE(info.ok());
  CHECK(info->state == "imported");
  auto head = app::log_head(*store);
  REQUIRE(head.ok());
  CHECK(head->size == 0);
  CHECK(app::ledger(*store, "AG", 2022)->empty());
}

TEST_CASE("report JSON: the text writer prints nlohmann's bytes, escapes included") {
  // Strings that need escaping or are not ASCII, empty and repeated reasons, a null met, an
  // empty report: the writer must equal the nlohmann::ordered_json tree dumped with indent 1.
  auto ag1 = facts("R1", "AG\"1\\", std::nullopt, 10, 2, "0.18");
  ag1.info.agency_region = Region::busan;
  ag1.units[0].exempt = "claim\twith\ncontrol\x01\x1f and 한글 \xf0\x9f\x98\x80";
  ag1.units[0].applies = {0};
  auto ag2 = facts("R2", "AG2", std::nullopt, 5, 0, "0.18");
  auto ag3 = facts("R3", "AG3", std::nullopt, 7, 7, "0.5");
  const app::ComplianceReport report = app::compliance_report(2024, {ag1, ag2, ag3});
  CHECK(app::report_json(report) == app::detail::report_json_tree(report));
  CHECK(nlohmann::json::parse(app::report_json(report)).at("agencies").size() == 3);

  app::ComplianceReport empty;
  empty.year = 2019;
  CHECK(app::report_json(empty) == app::detail::report_json_tree(empty));

  app::ComplianceReport repeated = report;  // a reason twice: the last value, at its first place
  repeated.rows[0].exempt_units = {{"b", 1}, {"a", 2}, {"b", 3}};
  repeated.rows[0].shortfalls = {{"pool", {1, 2}}, {"cap", {3, 4}}, {"pool", {5, 6}}};
  CHECK(app::report_json(repeated) == app::detail::report_json_tree(repeated));

  app::ComplianceReport bad = report;  // not UTF-8: nlohmann's type_error, as before
  bad.rows[0].agency = "AG\xff";
  CHECK_THROWS_AS(app::report_json(bad), nlohmann::json::type_error);
  bad.rows[0].agency = "AG\xed\xa0\x80";  // a surrogate
  CHECK_THROWS_AS(app::report_json(bad), nlohmann::json::type_error);
}
