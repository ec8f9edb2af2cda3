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
                       "agencies with obligated hiring met the target; 0 had no obligated "
                       "hiring") != std::string::npos);
  CHECK(table.out.find("  busan   2 of 8 obligated hires local (25.0%)") != std::string::npos);
  Run csv = run_cli({"report", "--year", "2023", "--format", "csv", "--db", db});
  CHECK(csv.out_lines().at(1) ==
        "2023,AG-KAMCO,kr-innovation-city,0.3,8,2,25.0%,no,1,1,-,threshold:1,busan,-,,,,");
  CHECK(csv.out_lines().at(2) ==
        "2023,REGION,kr-innovation-city,,8,2,25.0%,0/1,,,,threshold:1,busan,-,1,1,0,0");
  CHECK(csv.out_lines().at(3) ==
        "2023,TOTAL,kr-innovation-city,,8,2,25.0%,0/1,,,,threshold:1,,-,1,1,0,0");
  Run json = run_cli({"report", "--year", "2023", "--format", "json", "--db", db});
  const auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["agencies"][0]["shortfalls"]["threshold"]["passes_missing"] == 1);
  CHECK(doc["agencies"][0]["met"] == false);
  CHECK(doc["totals"][0]["summary"] ==
        "2 of 8 obligated hires local (25.0%); 0 of 1 agencies with obligated hiring met the "
        "target; 0 had no obligated hiring");
  CHECK(doc["regions"][0]["region"] == "busan");
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

// SPEC §7: an agency with no obligated hires neither met nor missed the target. The report used
// to count one whose units were all exempt as having met it.
TEST_CASE("report: an agency whose units are all exempt is counted apart, met null, with why") {
  TempDir d;
  const std::string db = "sqlite:" + (d.path / "p.db").string();
  REQUIRE(run_cli({"db", "init", "--db", db}).exit == 0);
  REQUIRE(run_cli({"import", kBusan, "--db", db}).exit == 0);
  REQUIRE(run_cli({"decide", "--recruitment", "KAMCO-2023-H1", "--db", db}).exit == 0);
  auto exempt = nlohmann::json::parse(slurp(kBusan));
  exempt["agency"]["code"] = "AG-EXP";
  exempt["recruitment"]["id"] = "EXP-2023-H1";
  for (auto& unit : exempt["units"]) {
    unit["requires_experience"] = true;
    unit["exemptions"] = {"experienced"};
  }
  spit(d.path / "exempt.json", exempt.dump());
  REQUIRE(run_cli({"import", (d.path / "exempt.json").string(), "--db", db}).exit == 0);
  REQUIRE(run_cli({"decide", "--recruitment", "EXP-2023-H1", "--db", db}).exit == 0);

  Run json = run_cli({"report", "--year", "2023", "--format", "json", "--db", db});
  REQUIRE(json.exit == 0);
  const auto doc = nlohmann::json::parse(json.out);
  const auto& agencies = doc.at("agencies");
  REQUIRE(agencies.size() == 2);
  CHECK(agencies[0].at("agency") == "AG-EXP");
  CHECK(agencies[0].at("obligated_hires") == 0);
  CHECK(agencies[0].at("met").is_null());
  CHECK(agencies[0].at("no_obligated_hiring") == nlohmann::json{{"experienced", 1}});
  CHECK(agencies[1].at("agency") == "AG-KAMCO");
  CHECK(agencies[1].at("met") == false);
  const auto& total = doc.at("totals").at(0);
  CHECK(total.at("agencies") == 2);
  CHECK(total.at("agencies_met") == 0);  // was 1: the exempt agency counted as met
  CHECK(total.at("agencies_obligated") == 1);
  CHECK(total.at("agencies_not_obligated") == 1);
  CHECK(total.at("no_obligated_hiring") == nlohmann::json{{"experienced", 1}});

  Run table = run_cli({"report", "--year", "2023", "--db", db});
  CHECK(table.out.find("TOTAL kr-innovation-city: 2 of 8 obligated hires local (25.0%); 0 of 1 "
                       "agencies with obligated hiring met the target; 1 had no obligated "
                       "hiring\n  no obligated hiring, agencies by reason: experienced 1\n") !=
        std::string::npos);
  const auto apart = table.out.find("No obligated hiring, counted apart");
  REQUIRE(apart != std::string::npos);
  CHECK(table.out.find("AG-EXP    busan   kr-innovation-city      1  experienced:1", apart) !=
        std::string::npos);
  Run csv = run_cli({"report", "--year", "2023", "--format", "csv", "--db", db});
  CHECK(csv.out_lines().at(1) ==
        "2023,AG-EXP,kr-innovation-city,0.3,0,0,-,-,1,1,experienced:1,-,busan,experienced:1,,,,");
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
