// The application layer over the in-memory store: the use cases' rules without a database
// (ledger arithmetic, supersession, which programs bound a unit, compliance and "met"), and the
// port's all-or-nothing contract.
#include <doctest/doctest.h>

#include "passline/app/compliance.h"
#include "passline/app/ledger.h"
#include "passline/app/memory_store.h"
#include "passline/app/recruitments.h"
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
  r.units.push_back({"U1", "office", std::nullopt, hires, {1}, {local}});
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
  CHECK(rows[0].met);  // 3 ≥ 0.3 × 10, exactly
  // One local hire fewer than 30%: not met.
  rows = app::compliance_rows({facts("R3", "AG", std::nullopt, 10, 2)});
  CHECK_FALSE(rows[0].met);
  // Exact at a ratio no binary fraction holds: 1 of 3 at 1/3 rounded is not 0.333334.
  rows = app::compliance_rows({facts("R4", "AG", std::nullopt, 1000000, 333334, "0.333334")});
  CHECK(rows[0].met);
  rows = app::compliance_rows({facts("R5", "AG", std::nullopt, 1000000, 333333, "0.333334")});
  CHECK_FALSE(rows[0].met);
}

TEST_CASE("compliance: a unit the program did not bind is not obligated") {
  auto r = facts("R1", "AG", std::nullopt, 10, 0);
  r.units[0].applies = {0};
  r.units[0].exempt = "small_field";
  auto rows = app::compliance_rows({r});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].obligated == 0);
  CHECK(rows[0].met);
  REQUIRE(rows[0].exempt_units.size() == 1);
  CHECK(rows[0].exempt_units[0].first == "small_field");
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
