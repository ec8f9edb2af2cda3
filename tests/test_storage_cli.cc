// The storage commands of the real `passline`: db init/migrate, import, decide --recruitment,
// decisions, recruitments, report, and their exit codes (adapters/cli/commands.h).
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "storage_support.h"

namespace {

namespace fs = std::filesystem;
using passline::test::Run;
using passline::test::run_cli;
using passline::test::slurp;
using passline::test::spit;
using passline::test::TempDir;

const fs::path kSource = PASSLINE_SOURCE_DIR;
const std::string kBusan = (kSource / "examples/busan-two-stage.case.json").string();

}  // namespace

TEST_SUITE("storage cli") {

TEST_CASE("storage commands: init, import, decide, read back, report") {
  TempDir d;
  const std::string db = "sqlite:" + (d.path / "p.db").string();

  Run missing = run_cli({"import", kBusan, "--db", db});
  CHECK(missing.exit == 78);
  CHECK(missing.err.find("passline db init") != std::string::npos);

  Run init = run_cli({"db", "init", "--db", db});
  REQUIRE(init.exit == 0);
  CHECK(init.out.find("schema version ") == 0);
  CHECK(run_cli({"db", "migrate", "--db", db}).exit == 0);

  Run imported = run_cli({"import", kBusan, "--db", db});
  REQUIRE_MESSAGE(imported.exit == 0, imported.err);
  CHECK(imported.out ==
        "imported KAMCO-2023-H1: 1 units, 32 applicants, 63 score rows into " + db + "\n");
  CHECK(run_cli({"import", kBusan, "--db", db}).exit == 3);  // duplicate_recruitment

  Run listed = run_cli({"recruitments", "--db", db});
  REQUIRE(listed.out_lines().size() == 2);
  CHECK(listed.out_lines()[1].find("KAMCO-2023-H1\tAG-KAMCO\t2023-03-06\timported\t32") == 0);
  CHECK(run_cli({"decisions", "--recruitment", "KAMCO-2023-H1", "--db", db}).exit ==
        2);  // not_decided

  Run decided = run_cli({"decide", "--recruitment", "KAMCO-2023-H1", "--db", db});
  REQUIRE_MESSAGE(decided.exit == 0, decided.err);
  CHECK(
      decided.out ==
      "decided KAMCO-2023-H1 (AG-KAMCO, 2023): 32 applicants, 8 hires, 2 in kr-innovation-city\n");
  Run again = run_cli({"decide", "--recruitment", "KAMCO-2023-H1", "--db", db});
  CHECK(again.exit == 3);
  CHECK(again.err.find("already_decided") != std::string::npos);

  // The stored decision is the file's decision, byte for byte.
  CHECK(run_cli({"decisions", "--recruitment", "KAMCO-2023-H1", "--db", db}).out ==
        run_cli({"decide", kBusan}).out);

  Run table = run_cli({"report", "--year", "2023", "--db", db});
  CHECK(table.exit == 0);
  CHECK(table.out.find("TOTAL kr-innovation-city: 2 of 8 obligated hires local (25.0%); 0 of 1 "
                       "agencies met the target") != std::string::npos);
  Run csv = run_cli({"report", "--year", "2023", "--format", "csv", "--db", db});
  CHECK(csv.out_lines().at(1) ==
        "2023,AG-KAMCO,kr-innovation-city,0.3,8,2,25.0%,no,1,1,-,threshold:1");
  Run json = run_cli({"report", "--year", "2023", "--format", "json", "--db", db});
  const auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["agencies"][0]["shortfalls"]["threshold"]["passes_missing"] == 1);
  CHECK(run_cli({"report", "--year", "2023", "--format", "xml", "--db", db}).exit == 64);
  CHECK(run_cli({"report", "--db", db}).exit == 64);  // --year is required

  // A correction: imported with --supersedes, decided, and both readable.
  std::string text = slurp(kBusan);
  text.replace(text.find("KAMCO-2023-H1"), 13, "KAMCO-2023-H1b");
  spit(d.path / "fix.json", text);
  REQUIRE(run_cli({"import", (d.path / "fix.json").string(), "--supersedes", "KAMCO-2023-H1",
                   "--db", db})
              .exit == 0);
  REQUIRE(run_cli({"decide", "--recruitment", "KAMCO-2023-H1b", "--db", db}).exit == 0);
  Run both = run_cli({"recruitments", "--agency", "AG-KAMCO", "--db", db});
  CHECK(both.out.find("KAMCO-2023-H1\tAG-KAMCO\t2023-03-06\tdecided\t32\t-\tKAMCO-2023-H1b") !=
        std::string::npos);
  CHECK(run_cli({"report", "--year", "2023", "--db", db}).out.find("2 of 8 obligated") !=
        std::string::npos);
}

TEST_CASE("storage commands: a bad --db URL and an unreachable server are clear errors") {
  Run bad = run_cli({"recruitments", "--db", "mysql://x"});
  CHECK(bad.exit == 2);
  CHECK(bad.err.find("expected sqlite:PATH or postgresql://user@host:port/dbname") !=
        std::string::npos);
  Run down = run_cli({"recruitments", "--db", "postgresql://nobody@127.0.0.1:1/none"});
  CHECK(down.exit == 69);
  CHECK(down.err.find("opening postgresql://nobody@127.0.0.1:1/none") != std::string::npos);
  Run secret = run_cli({"recruitments", "--db", "postgresql://nobody:hunter2@127.0.0.1:1/none"});
  CHECK(secret.err.find("hunter2") == std::string::npos);
}

}  // TEST_SUITE
