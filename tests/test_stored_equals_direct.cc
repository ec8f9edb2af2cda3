// Stored equals direct: a generated case imported and decided through the store (in memory,
// SQLite, PostgreSQL) gives byte for byte the decision document and the log entries that
// deciding the same case directly gives, with the ledger the store had before. Cases come from
// the property generator in its wide form, so cut − below_cut is sometimes negative (a stored
// threshold used to come back null). Each agency decides two recruitments in a row, so the
// second reads the first's hires from the ledger (agency_year, small_field).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "case_generator.h"
#include "passline/app/agencies.h"
#include "passline/app/compliance.h"
#include "passline/app/memory_store.h"
#include "passline/app/recruitments.h"
#include "passline/app/report_format.h"
#include "passline/json.h"
#include "passline/log.h"
#include "storage_support.h"
#include "v2_cases.h"

namespace {

namespace app = passline::app;
using namespace passline;
using passline::test::Backend;
using passline::test::FixedClock;
using passline::test::TestDb;

// Imports and decides `c` through `store`; checks the stored decision and the new log entries
// against a direct decide. Returns false when the engine refuses the case (both ways alike).
bool check_one(app::Store& store, Case c, const FixedClock& clock) {
  CAPTURE(c.recruitment.id);
  c.ledger.clear();  // a stored recruitment's prior comes from the store
  auto before = app::ledger(store, c.agency.code, c.recruitment.announced.year);
  REQUIRE(before.ok());
  auto tail = store.log_tail();
  REQUIRE(tail.ok());

  Case direct_case = c;
  direct_case.ledger = *before;
  auto direct = decide(direct_case, bundled_rules());

  auto imported = app::import_case(store, c, {}, clock);
  REQUIRE_MESSAGE(imported.ok(), imported.error().message);
  auto decided = app::decide(store, c.recruitment.id, bundled_rules(), clock);
  REQUIRE(decided.ok() == direct.ok());
  if (!direct.ok()) {
    CHECK(decided.error().code == direct.error().code);
    CHECK(decided.error().path == direct.error().path);
    return false;
  }
  const std::string expected = decision_to_json(direct_case, *direct);
  // What decide() returns, and what is read back later, are the direct bytes.
  CHECK(decision_to_json(decided->input, decided->decision) == expected);
  auto stored = app::load_decision(store, c.recruitment.id);
  REQUIRE(stored.ok());
  CHECK(decision_to_json(stored->input, stored->decision) == expected);
  CHECK(case_to_json(stored->input) == case_to_json(direct_case));

  LogContext ctx;
  ctx.decided_at = clock.now();
  ctx.log_index = tail->size;
  ctx.prev = tail->prev;
  // passline-log/3: the salts of the stored openings, one per applicant entry.
  ctx.salts.emplace();
  REQUIRE(store
              .read_openings(tail->size, UINT64_MAX,
                             [&](std::uint64_t, std::string_view o) {
                               ctx.salts->push_back(
                                   nlohmann::json::parse(o)["salt"].get<std::string>());
                             })
              .ok());
  const std::vector<std::string> entries = log_entries(direct_case, *direct, ctx);
  std::vector<std::string> logged;
  auto n = store.read_log(tail->size, tail->size + entries.size() + 1,
                          [&](std::uint64_t, std::string_view e) { logged.emplace_back(e); });
  REQUIRE(n.ok());
  CHECK(logged == entries);
  return true;
}

// Runs `cases` generated cases (two per agency) through `store`; returns how many decided and
// how many had a negative threshold at some stage.
std::pair<int, int> run(app::Store& store, int cases) {
  std::mt19937 rng(20261201);
  FixedClock clock;
  int decided = 0, negative = 0;
  for (int i = 0; i < cases; ++i) {
    Case c = passline::test::generate(rng, /*wide=*/true);
    c.agency.code = "AG" + std::to_string(i / 2);
    c.recruitment.id = "R" + std::to_string(i);
    if (i % 2 == 1) {  // the agency's second recruitment: same cohort, region and year
      c.agency.region = Region::busan;
      c.recruitment.announced = Date{2022, 11, 1};
    } else {
      c.agency.region = Region::busan;
      c.recruitment.announced = Date{2022, 3, 1};
    }
    if (!check_one(store, c, clock)) continue;
    ++decided;
    auto d = app::load_decision(store, c.recruitment.id);
    for (const UnitDecision& u : d->decision.units)
      for (const StageResult& s : u.stages)
        if (s.threshold && s.threshold->units() < 0) {
          ++negative;
          goto counted;
        }
  counted:;
  }
  return {decided, negative};
}

void check_backend(app::Store& store, int cases) {
  auto [decided, negative] = run(store, cases);
  MESSAGE(decided << " of " << cases << " decided, " << negative << " with a negative threshold");
  CHECK(decided > cases / 2);
  CHECK(negative > 0);  // the case that used to differ is exercised
}

}  // namespace

TEST_CASE("stored equals direct: in-memory store") {
  auto store = app::make_memory_store();
  check_backend(*store, 300);
}

STORAGE_TEST(stored_equals_direct) {
  TestDb db(backend);
  auto store = db.open_initialised();
  check_backend(*store, backend == Backend::sqlite ? 200 : 120);
}

// ---- quota-case/2: per-program claims through the store (schema 9) --------------------------

TEST_CASE("stored equals direct: quota-case/2 claims reach the report from the in-memory store") {
  auto store = app::make_memory_store();
  const auto report = nlohmann::json::parse(passline::test::decide_v2_year(*store));
  // EXEMPT had no obligated hiring under kr-innovation-city, by its two claims.
  bool seen = false;
  for (const auto& row : report.at("agencies")) {
    if (row.at("agency") != "EXEMPT" || row.at("program") != "kr-innovation-city") continue;
    seen = true;
    CHECK(row.at("met").is_null());
    CHECK(row.at("no_obligated_hiring") ==
          nlohmann::json{{"experienced", 1}, {"regional_branch", 1}});
  }
  CHECK(seen);
}

STORAGE_TEST(stored_equals_direct_v2_claims) {
  auto memory = app::make_memory_store();
  const std::string expected = passline::test::decide_v2_year(*memory);
  TestDb db(backend);
  auto store = db.open_initialised();
  CHECK(passline::test::decide_v2_year(*store) == expected);
}
