// A database written by the previous release (schema 4: outcomes as a private comma list, cut
// and threshold as decimal text) migrated forward: its decisions and log read back byte for
// byte, its report keeps every key and value (under the report format's next version), the log
// replays with 0 differ, and deciding goes on from it.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "passline/app/compliance.h"
#include "passline/app/recruitments.h"
#include "passline/app/report_format.h"
#include "passline/app/memory_store.h"
#include "passline/json.h"
#include "storage_support.h"
#include "v2_cases.h"

namespace {

namespace app = passline::app;
namespace fs = std::filesystem;
using namespace passline;
using passline::test::FixedClock;
using passline::test::run_cli;
using passline::test::slurp;
using passline::test::TempDir;

const fs::path kFixture = fs::path(PASSLINE_SOURCE_DIR) / "tests/fixtures/schema4";

/// Whether `got` holds everything `want` does: every key of an object with a value it
/// preserves, arrays of the same length element by element, equal scalars. Keys `want` lacks
/// are allowed (the conformance rule of SPEC §6).
bool preserves(const nlohmann::json& got, const nlohmann::json& want) {
  if (want.is_object()) {
    if (!got.is_object()) return false;
    for (const auto& [key, value] : want.items())
      if (!got.contains(key) || !preserves(got.at(key), value)) return false;
    return true;
  }
  if (want.is_array()) {
    if (!got.is_array() || got.size() != want.size()) return false;
    for (std::size_t i = 0; i < want.size(); ++i)
      if (!preserves(got[i], want[i])) return false;
    return true;
  }
  return got == want;
}

}  // namespace

TEST_CASE("a schema 4 database migrates forward and reads back what that release wrote") {
  TempDir dir;
  const fs::path db = dir.path / "schema4.db";
  fs::copy_file(kFixture / "schema4.db", db);
  const std::string url = "sqlite:" + db.string();

  auto refused = sql::Store::open(url);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "schema_outdated");
  auto v = sql::Store::migrate(url);
  REQUIRE_MESSAGE(v.ok(), v.error().message);
  CHECK(*v == sql::latest_schema_version());
  auto store = sql::Store::open(url);
  REQUIRE(store.ok());

  for (const char* id : {"KAMCO-2023-H1", "KAMCO-2023-H1-CSV"}) {
    CAPTURE(id);
    auto d = app::load_decision(**store, id);
    REQUIRE_MESSAGE(d.ok(), d.error().message);
    CHECK(decision_to_json(d->input, d->decision) ==
          slurp(kFixture / (std::string(id) + ".decision.json")));
  }
  // The report: that release wrote passline-report/1. Its successor, passline-report/2, made
  // `met` null for an agency with no obligated hires (which /1 counted as met) and added keys;
  // what /1 said of this database must read back unchanged: every key and value of the file,
  // but the format's name (this agency had obligated hires, so nothing of it changed meaning).
  auto annual = app::annual_report(**store, 2023);
  REQUIRE(annual.ok());
  auto old_report = nlohmann::json::parse(slurp(kFixture / "report-2023.json"));
  CHECK(old_report.at("format") == "passline-report/1");
  auto new_report = nlohmann::json::parse(app::report_json(*annual));
  CHECK(new_report.at("format") == "passline-report/2");
  old_report.erase("format");
  CHECK_MESSAGE(preserves(new_report, old_report), new_report.dump(1));

  // The log: the same entries; replayed by the real command line, 0 differ.
  const fs::path log = dir.path / "log.jsonl";
  auto exported = run_cli({"audit", "export", "--db", url, "--out", log.string()});
  REQUIRE_MESSAGE(exported.exit == 0, exported.err);
  CHECK(slurp(log) == slurp(kFixture / "log.jsonl"));
  auto replay = run_cli({"audit", "replay", (kFixture / "log.jsonl").string()});
  CHECK_MESSAGE(replay.exit == 0, replay.err);
  CHECK(replay.out.find("2 recruitments replayed, 0 differ") != std::string::npos);

  // Deciding goes on: a correction of the first recruitment, appended to the same log.
  Case fix =
      *parse_case_json(slurp(fs::path(PASSLINE_SOURCE_DIR) / "examples/busan-two-stage.case.json"));
  fix.recruitment.id = "KAMCO-2023-H1-FIX";
  app::ImportOptions opts;
  opts.supersedes = "KAMCO-2023-H1";
  REQUIRE(app::import_case(**store, fix, opts, FixedClock{}).ok());
  auto decided = app::decide(**store, "KAMCO-2023-H1-FIX", bundled_rules(), FixedClock{});
  REQUIRE_MESSAGE(decided.ok(), decided.error().message);
  // The correction is logged as passline-log/3: its inputs are replayed from its openings,
  // the old release's passline-log/1 entries from the log itself.
  const fs::path openings = dir.path / "openings.jsonl";
  exported = run_cli(
      {"audit", "export", "--db", url, "--out", log.string(), "--openings", openings.string()});
  REQUIRE(exported.exit == 0);
  auto verify = run_cli({"audit", "verify", log.string()});
  CHECK_MESSAGE(verify.exit == 0, verify.out << verify.err);
  replay = run_cli({"audit", "replay", log.string(), "--openings", openings.string()});
  CHECK_MESSAGE(replay.exit == 0, replay.out << replay.err);
  CHECK(replay.out.find("3 recruitments replayed, 0 differ") != std::string::npos);
}

// Schema 9 keeps what a quota-case/2 decision says per program (unit_programs.exempt,
// decided_programs.source). A database of schema 8 that decided quota-case/2 recruitments has
// them in its log headers only; migrating copies them over, so its decisions read back as
// decided and its report counts each claim-exempt unit under its claim, as the in-memory store
// does. The schema 8 database is this one with versions 9 and 10 taken out again.
STORAGE_TEST(schema8_quota_case_2_claims_migrate_forward) {
  auto memory = app::make_memory_store();
  const std::string expected = passline::test::decide_v2_year(*memory);
  passline::test::TestDb db(backend);
  {
    auto store = db.open_initialised();
    REQUIRE(passline::test::decide_v2_year(*store) == expected);
  }
  {
    auto parsed = sql::parse_database_url(db.url());
    REQUIRE(parsed.ok());
    soci::session s(parsed->soci_backend, parsed->connect_string);
    s << "ALTER TABLE unit_programs DROP COLUMN exempt";
    s << "ALTER TABLE decided_programs DROP COLUMN source";
    s << "DELETE FROM schema_migrations WHERE version = 9";
    // and what came after 9 (10: the log's tiles and the pages' index; 11), so the database is
    // the schema 8 one it was
    s << "DROP TABLE log_tiles";
    s << "DROP INDEX applicants_unit_id";
    for (const char* t : {"year_program_reasons", "year_program_figures", "year_figures"})
      s << std::string("DROP TABLE ") + t;   // 11: the year figures
    s << "DROP TABLE witness_cosignatures";  // 12: the witnesses' cosignatures
    for (const char* t : {"log_retention", "log_openings"})
      s << std::string("DROP TABLE ") + t;  // 13: the openings of passline-log/3
    s << "DELETE FROM schema_migrations WHERE version > 9";
  }
  auto refused = sql::Store::open(db.url());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "schema_outdated");
  auto v = sql::Store::migrate(db.url());
  REQUIRE_MESSAGE(v.ok(), v.error().message);
  auto store = sql::Store::open(db.url());
  REQUIRE(store.ok());
  auto annual = app::annual_report(**store, 2024);
  REQUIRE(annual.ok());
  CHECK(app::report_json(*annual) == expected);
  for (const auto& [agency, c] : passline::test::v2_year()) {
    auto direct = decide(c, bundled_rules());
    auto stored = app::load_decision(**store, c.recruitment.id);
    REQUIRE(stored.ok());
    CHECK(decision_to_json(stored->input, stored->decision) == decision_to_json(c, *direct));
  }
}
