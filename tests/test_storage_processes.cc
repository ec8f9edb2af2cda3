// Storage under real processes: several `passline decide --recruitment` at once on one agency's
// year, and a decide killed with SIGKILL in the middle. Both backends.
#include <doctest/doctest.h>

#include <signal.h>
#include <soci/soci.h>

#include <chrono>
#include <thread>

#include "passline/app/recruitments.h"
#include "passline/json.h"
#include "support.h"
#include "storage_support.h"

namespace {

using passline::test::Backend;
using passline::test::Child;
using passline::test::make_case;
using passline::test::Run;
using passline::test::spawn_cli;
using passline::test::TestDb;
using passline::test::wait_cli;
namespace sql = passline::sql;
namespace app = passline::app;

long long count(const std::string& url, const std::string& query) {
  auto parsed = sql::parse_database_url(url);
  soci::session s(parsed->soci_backend, parsed->connect_string);
  long long n = 0;
  s << query, soci::into(n);
  return n;
}

std::int64_t ledger_total(sql::Store& store, const std::string& agency, int year) {
  auto l = app::ledger(store, agency, year);
  REQUIRE(l.ok());
  std::int64_t n = 0;
  for (const auto& e : *l) n += e.hires;
  return n;
}

}  // namespace

TEST_SUITE("storage processes") {

STORAGE_TEST(concurrent_deciders_of_one_agency_all_land_and_the_ledger_sums_their_hires) {
  TestDb db(backend);
  std::int64_t applicants = 0;
  {
    auto store = db.open_initialised();
    for (int i = 0; i < 6; ++i) {
      // Two fields, so deciders contend on the same ledger rows.
      auto c = make_case("R" + std::to_string(i), "AG", i % 2 ? "admin" : "it", 20 + i, 6000);
      applicants += static_cast<std::int64_t>(c.units[0].applicants.size());
      REQUIRE(app::import_case(*store, c).ok());
    }
  }
  std::vector<Child> children;
  for (int i = 0; i < 6; ++i)
    children.push_back(
        spawn_cli({"decide", "--recruitment", "R" + std::to_string(i), "--db", db.url()},
                  db.dir()));
  for (const Child& c : children) {
    Run r = wait_cli(c);
    CHECK_MESSAGE(r.exit == 0, r.err);
  }
  auto store = sql::Store::open(db.url());
  REQUIRE(store.ok());
  std::int64_t hires = 0;
  for (int i = 0; i < 6; ++i) {
    auto d = app::load_decision(**store, "R" + std::to_string(i));
    REQUIRE(d.ok());
    for (const auto& u : d->decision.units) hires += u.hires;
    // Each decided exactly as the engine decides the case alone, with the ledger it saw.
    auto direct = passline::decide(d->input, passline::bundled_rules());
    REQUIRE(direct.ok());
    CHECK(passline::decision_to_json(d->input, d->decision) ==
          passline::decision_to_json(d->input, *direct));
  }
  CHECK(ledger_total(**store, "AG", 2022) == hires);
  CHECK(count(db.url(), "SELECT COUNT(*) FROM decisions") == applicants);
}

STORAGE_TEST(a_decide_killed_midway_leaves_the_recruitment_whole_or_untouched) {
  TestDb db(backend);
  const std::size_t n = backend == Backend::sqlite ? 300000 : 150000;
  {
    auto store = db.open_initialised();
    REQUIRE(app::import_case(*store, make_case("BIG", "AG", "admin", 500, n)).ok());
  }
  int killed_midway = 0;
  bool decided = false;
  // Kill after increasing delays until one run finishes; every kill must leave no trace.
  for (int attempt = 0; attempt < 12 && !decided; ++attempt) {
    Child c = spawn_cli({"decide", "--recruitment", "BIG", "--db", db.url()}, db.dir());
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + 250 * attempt));
    ::kill(c.pid, SIGKILL);
    Run r = wait_cli(c);
    const long long rows = count(db.url(), "SELECT COUNT(*) FROM decisions");
    const long long ledger = count(db.url(), "SELECT COUNT(*) FROM ledger");
    auto store = sql::Store::open(db.url());
    REQUIRE(store.ok());
    auto info = app::recruitment(**store, "BIG");
    REQUIRE(info.ok());
    if (info->state == "decided") {
      decided = true;
      CHECK(rows == static_cast<long long>(n));
      CHECK(ledger_total(**store, "AG", 2022) > 0);
    } else {
      CHECK(rows == 0);
      CHECK(ledger == 0);
      CHECK(count(db.url(), "SELECT COUNT(*) FROM program_results") == 0);
      if (r.exit == -1) ++killed_midway;
    }
  }
  CHECK(killed_midway >= 1);
  if (!decided) {  // never finished within the delays: it must still decide cleanly now
    Run r = wait_cli(spawn_cli({"decide", "--recruitment", "BIG", "--db", db.url()}, db.dir()));
    CHECK_MESSAGE(r.exit == 0, r.err);
  }
  auto store = sql::Store::open(db.url());
  REQUIRE(store.ok());
  auto d = app::load_decision(**store, "BIG");
  REQUIRE(d.ok());
  CHECK(ledger_total(**store, "AG", 2022) == d->decision.units[0].hires);
  CHECK(count(db.url(), "SELECT COUNT(*) FROM decisions") == static_cast<long long>(n));
}

STORAGE_TEST(concurrent_imports_of_a_new_agency_all_land_and_a_duplicate_id_is_refused) {
  TestDb db(backend);
  db.open_initialised();
  std::vector<std::string> files;
  for (int i = 0; i < 4; ++i) {
    const auto path = db.dir() / ("r" + std::to_string(i) + ".json");
    // R0..R2 distinct; R3 repeats R2's id.
    passline::test::spit(path,
                         passline::case_to_json(make_case(i == 3 ? "R2" : "R" + std::to_string(i),
                                                          "NEW-AGENCY", "admin", 5, 3000)));
    files.push_back(path.string());
  }
  std::vector<Child> children;
  for (const auto& f : files)
    children.push_back(spawn_cli({"import", f, "--db", db.url()}, db.dir()));
  int ok = 0, duplicate = 0;
  for (const Child& c : children) {
    Run r = wait_cli(c);
    if (r.exit == 0)
      ++ok;
    else if (r.exit == 3 && r.err.find("duplicate_recruitment") != std::string::npos)
      ++duplicate;
    else
      FAIL_CHECK("unexpected: exit " << r.exit << " " << r.err);
  }
  CHECK(ok == 3);
  CHECK(duplicate == 1);
  CHECK(count(db.url(), "SELECT COUNT(*) FROM agencies") == 1);
  CHECK(count(db.url(), "SELECT COUNT(*) FROM recruitments") == 3);
  CHECK(count(db.url(), "SELECT COUNT(*) FROM applicants") == 9000);
}

}  // TEST_SUITE
